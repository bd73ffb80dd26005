// Package conformance holds the Ginkgo conformance suite that drives Google's
// compute/v1 client against a Compute Engine API deployment on OpenStack.
// The specs are in the package's _test.go files and the helpers in framework.
package conformance
