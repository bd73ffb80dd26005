package store

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func openTest(t *testing.T) *SQLite {
	t.Helper()
	s, err := OpenSQLite(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestReserveTakenName(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	r := Resource{Project: "p", Scope: "zones/a", Kind: "instances", Name: "vm"}
	if err := s.Reserve(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := s.Reserve(ctx, r); !errors.Is(err, ErrExists) {
		t.Fatalf("second Reserve = %v, want ErrExists", err)
	}
	r.Scope = "zones/b"
	if err := s.Reserve(ctx, r); err != nil {
		t.Fatalf("same name in another zone: %v", err)
	}
}

func TestReserveRace(t *testing.T) {
	s := openTest(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.Reserve(context.Background(), Resource{Project: "p", Scope: "global", Kind: "networks", Name: "n"})
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if !errors.Is(err, ErrExists) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d reservations won, want 1", wins)
	}
}

func TestResourceRoundTrip(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	r := Resource{Project: "p", Scope: "zones/a", Kind: "disks", Name: "d", Data: []byte(`{"x":1}`)}
	if err := s.Reserve(ctx, r); err != nil {
		t.Fatal(err)
	}
	r.OpenStackID = "uuid-1"
	if err := s.UpdateResource(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, err := s.ResourceByOpenStackID(ctx, "p", "disks", "uuid-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "d" || string(got.Data) != `{"x":1}` {
		t.Fatalf("got %+v", got)
	}
	if err := s.Release(ctx, "p", "zones/a", "disks", "d"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Resource(ctx, "p", "zones/a", "disks", "d"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after Release: %v", err)
	}
}

func TestUpdateOperationConflict(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	op := Operation{Project: "p", Name: "op", Scope: "global", InsertTime: time.Now(), Body: []byte(`{}`)}
	if err := s.CreateOperation(ctx, op); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Operation(ctx, "p", "op")
	b, _ := s.Operation(ctx, "p", "op")
	a.Done = true
	if err := s.UpdateOperation(ctx, &a); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateOperation(ctx, &b); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale update = %v, want ErrConflict", err)
	}
	pending, _ := s.PendingOperations(ctx)
	if len(pending) != 0 {
		t.Fatalf("pending = %d, want 0", len(pending))
	}
}

func TestLeaseExclusive(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	s.CreateOperation(ctx, Operation{Project: "p", Name: "op", Scope: "global", Body: []byte(`{}`)})
	if ok, err := s.Lease(ctx, "p", "op", "a", time.Minute); !ok || err != nil {
		t.Fatalf("first lease: %v %v", ok, err)
	}
	if ok, _ := s.Lease(ctx, "p", "op", "b", time.Minute); ok {
		t.Fatal("second holder got a live lease")
	}
	s.Unlease(ctx, "p", "op", "a")
	if ok, _ := s.Lease(ctx, "p", "op", "b", time.Minute); !ok {
		t.Fatal("lease not free after Unlease")
	}
}
