// Package apispec holds the method table of the Compute Engine v1 API: every
// method of the discovery document that ships inside the pinned
// google.golang.org/api module, with its HTTP method and path template.
//
// methods_gen.go is generated; run `go generate ./server/apispec` after
// changing the google.golang.org/api version in go.mod.
package apispec

//go:generate go run ./gen -out methods_gen.go
