package operations

import (
	"context"
	"time"

	"github.com/gce-api/gce-api/server/openstack"
)

// SessionFunc returns a session for project, or an error when the server
// has no credentials that reach it.
type SessionFunc func(ctx context.Context, project string) (*openstack.Session, error)

// Reconcile advances every operation not yet done, every interval, until
// ctx ends. It uses sessions from sessions, so operations keep moving when
// no client is looking.
func (e *Engine) Reconcile(ctx context.Context, interval time.Duration, sessions SessionFunc) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			e.reconcileOnce(ctx, sessions)
		}
	}
}

func (e *Engine) reconcileOnce(ctx context.Context, sessions SessionFunc) {
	ops, err := e.store.PendingOperations(ctx)
	if err != nil {
		e.log.Warn("list pending operations", "err", err)
		return
	}
	for _, op := range ops {
		s, err := sessions(ctx, op.Project)
		if err != nil {
			continue
		}
		if _, err := e.advance(ctx, s, op.Project, op.Name); err != nil && ctx.Err() == nil {
			e.log.Warn("advance operation", "operation", op.Name, "project", op.Project, "err", err)
		}
	}
}
