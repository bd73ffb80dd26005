package operations

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/store"
)

// Machine moves one kind of operation forward. Advance reads OpenStack
// through s, does the next steps that are due, and updates r: its State,
// Progress, and Finish or Fail when the work is over. An error return means
// the step could not run now (OpenStack unreachable, say) and will be tried
// again; it does not fail the operation.
type Machine interface {
	Advance(ctx context.Context, s *openstack.Session, r *Record) error
}

// MachineFunc adapts a function to Machine.
type MachineFunc func(ctx context.Context, s *openstack.Session, r *Record) error

// Advance calls f.
func (f MachineFunc) Advance(ctx context.Context, s *openstack.Session, r *Record) error {
	return f(ctx, s, r)
}

// ErrNotFound is returned for an operation that does not exist.
var ErrNotFound = errors.New("operation not found")

// leaseTTL bounds how long a crashed holder blocks an operation.
const leaseTTL = 30 * time.Second

// Engine creates, advances and lists operations.
type Engine struct {
	store    store.Store
	machines map[string]Machine
	holder   string
	calls    atomic.Int64
	log      *slog.Logger
}

// NewEngine returns an engine over st.
func NewEngine(st store.Store, log *slog.Logger) *Engine {
	var b [6]byte
	rand.Read(b[:])
	return &Engine{store: st, machines: map[string]Machine{}, holder: hex.EncodeToString(b[:]), log: log}
}

// Register makes m advance the operations whose Machine field is name.
// Register every machine before serving.
func (e *Engine) Register(name string, m Machine) {
	e.machines[name] = m
}

// NewName returns a fresh operation name in Compute Engine's style.
func NewName() string {
	var b [4]byte
	rand.Read(b[:])
	return "operation-" + strconv.FormatInt(time.Now().UnixMilli(), 10) + "-" + hex.EncodeToString(b[:])
}

// Create stores a new operation. A record without a Machine is stored DONE.
func (e *Engine) Create(ctx context.Context, r *Record) error {
	if r.Name == "" {
		r.Name = NewName()
	}
	now := time.Now()
	if r.Insert.IsZero() {
		r.Insert = now
	}
	if r.Start.IsZero() {
		r.Start = now
	}
	if r.Status == "" {
		r.Status = Running
	}
	if r.Machine == "" && r.Status != Done {
		r.Finish()
	}
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return e.store.CreateOperation(ctx, store.Operation{Project: r.Project, Name: r.Name,
		Scope: r.Scope, Done: r.Status == Done, InsertTime: r.Insert, Body: body})
}

// Get returns an operation, advancing it first when it is not done.
func (e *Engine) Get(ctx context.Context, s *openstack.Session, project, name string) (*Record, error) {
	r, err := e.load(ctx, project, name)
	if err != nil || r.Status == Done {
		return r, err
	}
	return e.advance(ctx, s, project, name)
}

// Wait advances an operation until it is DONE or timeout passes, and returns
// its state at that moment.
func (e *Engine) Wait(ctx context.Context, s *openstack.Session, project, name string, timeout time.Duration) (*Record, error) {
	deadline := time.Now().Add(timeout)
	delay := 100 * time.Millisecond
	for {
		r, err := e.Get(ctx, s, project, name)
		if err != nil || r.Status == Done || time.Now().Add(delay).After(deadline) {
			return r, err
		}
		select {
		case <-ctx.Done():
			return r, nil
		case <-time.After(delay):
		}
		delay = min(delay*2, time.Second)
	}
}

// List returns the operations of project in scope ("" for every scope),
// advancing those not yet done.
func (e *Engine) List(ctx context.Context, s *openstack.Session, project, scope string) ([]*Record, error) {
	ops, err := e.store.Operations(ctx, project, scope)
	if err != nil {
		return nil, err
	}
	out := make([]*Record, 0, len(ops))
	for _, op := range ops {
		r, err := decode(op)
		if err != nil {
			return nil, err
		}
		if r.Status != Done && s != nil {
			if fresh, err := e.advance(ctx, s, project, r.Name); err == nil {
				r = fresh
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// Delete deletes an operation record. The work it stands for goes on.
func (e *Engine) Delete(ctx context.Context, project, name string) error {
	err := e.store.DeleteOperation(ctx, project, name)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotFound
	}
	return err
}

func (e *Engine) load(ctx context.Context, project, name string) (*Record, error) {
	op, err := e.store.Operation(ctx, project, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return decode(op)
}

// advance runs the operation's machine once under a lease and stores the
// result. Without the lease it returns the operation as stored.
func (e *Engine) advance(ctx context.Context, s *openstack.Session, project, name string) (*Record, error) {
	holder := fmt.Sprintf("%s-%d", e.holder, e.calls.Add(1))
	ok, err := e.store.Lease(ctx, project, name, holder, leaseTTL)
	if err != nil || !ok {
		return e.load(ctx, project, name)
	}
	defer e.store.Unlease(context.WithoutCancel(ctx), project, name, holder)
	op, err := e.store.Operation(ctx, project, name)
	if err != nil {
		return nil, err
	}
	r, err := decode(op)
	if err != nil || r.Status == Done {
		return r, err
	}
	e.step(ctx, s, r)
	body, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	op.Body, op.Done = body, r.Status == Done
	if err := e.store.UpdateOperation(context.WithoutCancel(ctx), &op); err != nil {
		return nil, err
	}
	return r, nil
}

func (e *Engine) step(ctx context.Context, s *openstack.Session, r *Record) {
	m := e.machines[r.Machine]
	if m == nil {
		r.Fail(500, "INTERNAL_ERROR", "operation kind "+r.Machine+" is not known to this server")
		return
	}
	if r.Status == Pending {
		r.Status = Running
	}
	if err := m.Advance(ctx, s, r); err != nil {
		e.log.Warn("operation step failed; will retry", "operation", r.Name,
			"project", r.Project, "type", r.Type, "err", err)
	}
}

func decode(op store.Operation) (*Record, error) {
	var r Record
	if err := json.Unmarshal(op.Body, &r); err != nil {
		return nil, fmt.Errorf("decode operation %s: %w", op.Name, err)
	}
	return &r, nil
}
