// Package operations keeps Compute Engine operations in the store and moves
// them forward from OpenStack's own state. An operation is advanced when a
// client reads or waits on it and by a background reconciler. A lease in the
// store makes sure only one caller, in any server replica, advances it at a
// time, so a restart or a second replica loses nothing.
package operations
