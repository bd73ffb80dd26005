package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Errors returned by every Store; test them with errors.Is.
var (
	ErrNotFound = errors.New("store: not found")
	ErrExists   = errors.New("store: already exists")
	ErrConflict = errors.New("store: changed by someone else")
)

// Resource is the server's record of one GCE resource. Its key is (Project,
// Scope, Kind, Name), which makes names unique per project, scope and kind.
type Resource struct {
	Project     string
	Scope       string // "global", "zones/z" or "regions/r"
	Kind        string // collection name: "instances", "disks", ...
	Name        string
	OpenStackID string          // "" while only reserved
	Data        json.RawMessage // GCE attributes OpenStack cannot hold; may be nil
	CreatedAt   time.Time
}

// Operation is the stored form of one operation. The operations package owns
// the meaning of Body; the store only keeps it and guards concurrent updates.
type Operation struct {
	Project    string
	Name       string
	Scope      string // "global", "zones/z" or "regions/r"
	Done       bool
	Version    int64 // incremented by every update
	InsertTime time.Time
	Body       json.RawMessage
}

// Store is the server's persistent state.
type Store interface {
	// Reserve inserts r, or returns ErrExists when its key is taken.
	Reserve(ctx context.Context, r Resource) error
	// Resource returns the record with the given key.
	Resource(ctx context.Context, project, scope, kind, name string) (Resource, error)
	// ResourceByOpenStackID returns the record of kind that points at id.
	ResourceByOpenStackID(ctx context.Context, project, kind, id string) (Resource, error)
	// Resources lists the records of kind in project; scope "" means all scopes.
	Resources(ctx context.Context, project, scope, kind string) ([]Resource, error)
	// UpdateResource replaces the OpenStack id and data of an existing record.
	UpdateResource(ctx context.Context, r Resource) error
	// Release deletes the record with the given key; a missing one is no error.
	Release(ctx context.Context, project, scope, kind, name string) error

	// CreateOperation inserts op with Version 1.
	CreateOperation(ctx context.Context, op Operation) error
	// Operation returns one operation.
	Operation(ctx context.Context, project, name string) (Operation, error)
	// Operations lists the operations of project; scope "" means all scopes.
	Operations(ctx context.Context, project, scope string) ([]Operation, error)
	// PendingOperations lists the operations of every project not yet done.
	PendingOperations(ctx context.Context) ([]Operation, error)
	// UpdateOperation stores op if its Version is still the stored one, and
	// returns ErrConflict otherwise. On success op.Version is incremented.
	UpdateOperation(ctx context.Context, op *Operation) error
	// Lease gives holder the right to advance an operation until the lease
	// expires. It returns false when another holder has a live lease.
	Lease(ctx context.Context, project, name, holder string, ttl time.Duration) (bool, error)
	// Unlease ends holder's lease early.
	Unlease(ctx context.Context, project, name, holder string) error
	// DeleteOperation deletes one operation.
	DeleteOperation(ctx context.Context, project, name string) error

	Close() error
}
