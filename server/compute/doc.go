// Package compute implements the Compute Engine resources on OpenStack, one
// file per resource. Handlers take a Request, call OpenStack through an
// openstack.Session, and return a Response value that the server package
// writes as JSON or as Google's error envelope.
package compute
