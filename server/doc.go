// Package server assembles the gce-api HTTP server: configuration, the route
// table generated from the discovery document, authentication, request
// logging, the batch endpoint, and the adapter that writes handler results
// as JSON or as Google's error envelope.
package server
