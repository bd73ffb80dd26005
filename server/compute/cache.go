package compute

import (
	"context"
	"sync"
	"time"
)

// cacheTTL bounds how stale zone, region, flavor and network lists may be.
const cacheTTL = 10 * time.Second

// cache keeps rarely changing OpenStack lists per project for cacheTTL, so a
// list of instances does not ask Nova for the zones once per instance.
type cache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	value   any
	expires time.Time
}

func newCache() *cache { return &cache{entries: map[string]cacheEntry{}} }

// cached returns the value under key, calling load when it is missing or stale.
func cached[T any](ctx context.Context, c *cache, key string, load func(context.Context) (T, error)) (T, error) {
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && time.Now().Before(e.expires) {
		return e.value.(T), nil
	}
	v, err := load(ctx)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	c.entries[key] = cacheEntry{value: v, expires: time.Now().Add(cacheTTL)}
	c.mu.Unlock()
	return v, nil
}

// forget drops every entry of key, after a change that makes it stale.
func (c *cache) forget(key string) {
	c.mu.Lock()
	delete(c.entries, key)
	c.mu.Unlock()
}
