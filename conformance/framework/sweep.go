package framework

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	compute "google.golang.org/api/compute/v1"
	"google.golang.org/api/googleapi"
)

// zonalResource names one resource left in a zone.
type zonalResource struct{ zone, name string }

// Sweep deletes every instance and disk whose name starts with the run
// prefix, in every zone, and waits for the deletions. A kind whose list
// method returns 501 notImplemented is skipped.
func Sweep(ctx context.Context, env *Env) error {
	svc, err := env.Compute(ctx)
	if err != nil {
		return err
	}
	instances, err := leftoverInstances(ctx, svc, env)
	errs := []error{err}
	for _, r := range instances {
		errs = append(errs, deleteAndWait(ctx, svc, svc.Instances.Delete(env.Project, r.zone, r.name).Context(ctx)))
	}
	disks, err := leftoverDisks(ctx, svc, env)
	errs = append(errs, err)
	for _, r := range disks {
		errs = append(errs, deleteAndWait(ctx, svc, svc.Disks.Delete(env.Project, r.zone, r.name).Context(ctx)))
	}
	return errors.Join(errs...)
}

func (e *Env) ownsName(name string) bool {
	return strings.HasPrefix(name, e.Prefix+"-")
}

func leftoverInstances(ctx context.Context, svc *compute.Service, env *Env) ([]zonalResource, error) {
	var found []zonalResource
	err := svc.Instances.AggregatedList(env.Project).Pages(ctx,
		func(page *compute.InstanceAggregatedList) error {
			for scope, list := range page.Items {
				for _, inst := range list.Instances {
					found = appendOwned(found, env, scope, inst.Name)
				}
			}
			return nil
		})
	return found, ignoreNotImplemented(err, "list instances")
}

func leftoverDisks(ctx context.Context, svc *compute.Service, env *Env) ([]zonalResource, error) {
	var found []zonalResource
	err := svc.Disks.AggregatedList(env.Project).Pages(ctx,
		func(page *compute.DiskAggregatedList) error {
			for scope, list := range page.Items {
				for _, disk := range list.Disks {
					found = appendOwned(found, env, scope, disk.Name)
				}
			}
			return nil
		})
	return found, ignoreNotImplemented(err, "list disks")
}

// appendOwned adds name when it carries the run prefix. scope is an
// aggregatedList key such as "zones/regionone-a".
func appendOwned(found []zonalResource, env *Env, scope, name string) []zonalResource {
	if !env.ownsName(name) {
		return found
	}
	return append(found, zonalResource{zone: strings.TrimPrefix(scope, "zones/"), name: name})
}

// deleter is a delete call of the compute/v1 client.
type deleter interface {
	Do(opts ...googleapi.CallOption) (*compute.Operation, error)
}

func deleteAndWait(ctx context.Context, svc *compute.Service, call deleter) error {
	op, err := call.Do()
	if isStatus(err, http.StatusNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	_, err = Wait(ctx, svc, op)
	return err
}

func ignoreNotImplemented(err error, what string) error {
	if err == nil || isStatus(err, http.StatusNotImplemented) {
		return nil
	}
	return fmt.Errorf("sweep: %s: %w", what, err)
}

func isStatus(err error, code int) bool {
	var apiErr *googleapi.Error
	return errors.As(err, &apiErr) && apiErr.Code == code
}

// LeakedNames lists the names in an inventory (kind to names) that start
// with prefix, as "kind/name", sorted.
func LeakedNames(inventory map[string][]string, prefix string) []string {
	var leaked []string
	for kind, names := range inventory {
		for _, name := range names {
			if strings.HasPrefix(name, prefix) {
				leaked = append(leaked, kind+"/"+name)
			}
		}
	}
	slices.Sort(leaked)
	return leaked
}

// WaitInventoryClean polls inventory until it holds no name that starts with
// prefix, for at most one minute, because OpenStack deletes some objects a
// moment after it accepts the request.
func WaitInventoryClean(ctx context.Context, inventory func() map[string][]string, prefix string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		leaked := LeakedNames(inventory(), prefix)
		if len(leaked) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the OpenStack still contains %d object(s) named with the run prefix %q: %s",
				len(leaked), prefix, strings.Join(leaked, ", "))
		case <-tick.C:
		}
	}
}

// InventoryDiff compares an inventory (kind to names) with a baseline as
// multisets, because unnamed objects such as ports appear by id and two
// objects may share a name. It returns the objects beyond the baseline as
// "kind/name" (leaked) and the baseline objects that are gone (missing),
// both sorted. An object for which allowed returns true is in neither list.
func InventoryDiff(baseline, now map[string][]string, allowed func(kind, name string) bool) (leaked, missing []string) {
	kinds := slices.Sorted(maps.Keys(now))
	for kind := range baseline {
		if _, ok := now[kind]; !ok {
			kinds = append(kinds, kind)
		}
	}
	for _, kind := range kinds {
		extra, gone := countDiff(baseline[kind], now[kind])
		leaked = appendDisallowed(leaked, kind, extra, allowed)
		missing = appendDisallowed(missing, kind, gone, allowed)
	}
	slices.Sort(leaked)
	slices.Sort(missing)
	return leaked, missing
}

// countDiff returns the names that now holds more often than base (extra)
// and those that it holds less often (gone), once per surplus copy.
func countDiff(base, now []string) (extra, gone []string) {
	count := map[string]int{}
	for _, name := range now {
		count[name]++
	}
	for _, name := range base {
		count[name]--
	}
	for _, name := range slices.Sorted(maps.Keys(count)) {
		for n := count[name]; n > 0; n-- {
			extra = append(extra, name)
		}
		for n := count[name]; n < 0; n++ {
			gone = append(gone, name)
		}
	}
	return extra, gone
}

func appendDisallowed(out []string, kind string, names []string, allowed func(kind, name string) bool) []string {
	for _, name := range names {
		if allowed == nil || !allowed(kind, name) {
			out = append(out, kind+"/"+name)
		}
	}
	return out
}

// WaitInventoryBaseline polls inventory until it holds exactly baseline
// again, apart from the objects that allowed accepts, for at most one
// minute, because OpenStack deletes some objects a moment after it accepts
// the request. The error lists every leaked and missing object.
func WaitInventoryBaseline(ctx context.Context, inventory func() map[string][]string,
	baseline map[string][]string, allowed func(kind, name string) bool) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		leaked, missing := InventoryDiff(baseline, inventory(), allowed)
		if len(leaked) == 0 && len(missing) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return baselineError(leaked, missing)
		case <-tick.C:
		}
	}
}

func baselineError(leaked, missing []string) error {
	var errs []error
	if len(leaked) > 0 {
		errs = append(errs, fmt.Errorf("the OpenStack contains %d object(s) that it did not "+
			"hold before the first spec: %s", len(leaked), strings.Join(leaked, ", ")))
	}
	if len(missing) > 0 {
		errs = append(errs, fmt.Errorf("the OpenStack lost %d object(s) that it held "+
			"before the first spec: %s", len(missing), strings.Join(missing, ", ")))
	}
	return errors.Join(errs...)
}
