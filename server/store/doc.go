// Package store keeps the state that OpenStack cannot hold: name
// reservations and the GCE-only attributes of resources (descriptions,
// labels, metadata, access-config names), and operations. SQLite is the
// default implementation; a PostgreSQL one can sit behind the same
// interface so that several server replicas share state.
package store
