// Package openstack is a stateful, in-memory fake of the Keystone, Nova,
// Neutron, Cinder and Glance REST APIs, served on one listener under
// DevStack-style path prefixes, with status machines driven by a Clock.
package openstack
