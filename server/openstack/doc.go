// Package openstack is the server's only door to OpenStack: it turns bearer
// tokens into project-scoped sessions, calls Keystone, Nova, Neutron, Cinder
// and Glance through gophercloud, and maps every failure onto a closed set
// of errors (ErrNotFound, ErrConflict, ...) that callers test with
// errors.Is. Callers never see gophercloud types.
package openstack
