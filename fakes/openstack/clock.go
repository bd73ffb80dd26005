package openstack

import (
	"sync"
	"time"
)

// Clock is the source of time for every status transition in the fake.
type Clock interface{ Now() time.Time }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// ManualClock is a Clock that moves only when Advance is called.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a ManualClock stopped at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t} }

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Timings are the durations of the asynchronous state changes. A resource
// reaches its next state on the first request after the duration has passed.
type Timings struct {
	ServerBuild     time.Duration // BUILD until ACTIVE, after any boot volume exists
	ServerDelete    time.Duration // task_state deleting until 404
	ServerReboot    time.Duration // HARD_REBOOT or REBOOT until ACTIVE; also stop and start
	VolumeCreate    time.Duration // empty or snapshot-backed volume: creating until available
	VolumeFromImage time.Duration // image-backed volume: creating, downloading, available
	VolumeDelete    time.Duration // deleting until 404
	VolumeAttach    time.Duration // reserved, attaching, in-use
	VolumeDetach    time.Duration // detaching until available
	SnapshotCreate  time.Duration // creating until available
	SnapshotDelete  time.Duration // deleting until 404
}

// DefaultTimings keeps the ratios measured on a loopback Zed all-in-one with
// fake drivers, shortened so that an interactive session stays quick.
func DefaultTimings() Timings {
	return Timings{
		ServerBuild:     time.Second,
		ServerDelete:    300 * time.Millisecond,
		ServerReboot:    500 * time.Millisecond,
		VolumeCreate:    300 * time.Millisecond,
		VolumeFromImage: time.Second,
		VolumeDelete:    300 * time.Millisecond,
		VolumeAttach:    300 * time.Millisecond,
		VolumeDetach:    300 * time.Millisecond,
		SnapshotCreate:  300 * time.Millisecond,
		SnapshotDelete:  300 * time.Millisecond,
	}
}

// FastTimings makes every transition take 50 to 100 ms, for test suites.
func FastTimings() Timings {
	return Timings{
		ServerBuild:     100 * time.Millisecond,
		ServerDelete:    50 * time.Millisecond,
		ServerReboot:    50 * time.Millisecond,
		VolumeCreate:    50 * time.Millisecond,
		VolumeFromImage: 100 * time.Millisecond,
		VolumeDelete:    50 * time.Millisecond,
		VolumeAttach:    50 * time.Millisecond,
		VolumeDetach:    50 * time.Millisecond,
		SnapshotCreate:  50 * time.Millisecond,
		SnapshotDelete:  50 * time.Millisecond,
	}
}

// withDefaults fills every zero field of t from DefaultTimings.
func (t Timings) withDefaults() Timings {
	d := DefaultTimings()
	fill := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	fill(&t.ServerBuild, d.ServerBuild)
	fill(&t.ServerDelete, d.ServerDelete)
	fill(&t.ServerReboot, d.ServerReboot)
	fill(&t.VolumeCreate, d.VolumeCreate)
	fill(&t.VolumeFromImage, d.VolumeFromImage)
	fill(&t.VolumeDelete, d.VolumeDelete)
	fill(&t.VolumeAttach, d.VolumeAttach)
	fill(&t.VolumeDetach, d.VolumeDetach)
	fill(&t.SnapshotCreate, d.SnapshotCreate)
	fill(&t.SnapshotDelete, d.SnapshotDelete)
	return t
}

// event is a state change due at a point in time. Events fire, in time
// order, at the start of the first request handled at or after that time.
type event struct {
	at   time.Time
	seq  int
	fire func()
}
