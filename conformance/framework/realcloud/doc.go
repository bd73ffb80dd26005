// Package realcloud runs the real OpenStack Zed control plane from the
// gce-api-openstack image, or reads an existing cloud from clouds.yaml, and
// returns the credentials the conformance suite uses to reach it.
package realcloud
