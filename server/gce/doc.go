// Package gce holds the wire-level vocabulary of the Compute Engine API that
// every handler shares: Google's error envelope, resource names and ids,
// links on the server's public URL, and the parser for the many forms a
// client may use to reference a resource in a request body.
package gce
