package openstack

import (
	"net/http"
	"regexp"
	"time"
)

// Fault is an injected failure or delay. Zero fields match everything.
type Fault struct {
	Service string         // "identity", "compute", "network", "volume", "image", or "" for any
	Method  string         // "" for any
	Path    *regexp.Regexp // matched against the path after the service prefix; nil = any
	Status  int            // respond with this status and the service's own error body shape
	Delay   time.Duration  // sleep before responding, or before passing the request on when Status is 0
	Times   int            // 0 = until removed
}

type activeFault struct {
	Fault
	used int
}

// InjectFault makes matching requests fail or wait until remove is called
// or the fault has been used Times times. It is safe for concurrent use.
func (c *Cloud) InjectFault(f Fault) (remove func()) {
	c.faultMu.Lock()
	defer c.faultMu.Unlock()
	af := &activeFault{Fault: f}
	c.faults = append(c.faults, af)
	return func() { c.dropFault(af) }
}

func (c *Cloud) dropFault(af *activeFault) {
	c.faultMu.Lock()
	defer c.faultMu.Unlock()
	for i, f := range c.faults {
		if f == af {
			c.faults = append(c.faults[:i], c.faults[i+1:]...)
			return
		}
	}
}

// takeFault returns the first fault that matches the request and counts
// one use of it.
func (c *Cloud) takeFault(r *http.Request, svc, rest string) *Fault {
	c.faultMu.Lock()
	defer c.faultMu.Unlock()
	for i, f := range c.faults {
		if !f.matches(r.Method, svc, rest) {
			continue
		}
		f.used++
		if f.Times > 0 && f.used >= f.Times {
			c.faults = append(c.faults[:i], c.faults[i+1:]...)
		}
		found := f.Fault
		return &found
	}
	return nil
}

func (f *activeFault) matches(method, svc, rest string) bool {
	if f.Service != "" && f.Service != svc {
		return false
	}
	if f.Method != "" && f.Method != method {
		return false
	}
	return f.Path == nil || f.Path.MatchString(rest)
}

// applyFault sleeps for a matching fault's delay and, when it sets a
// status, writes that status. It reports whether it wrote a response.
func (c *Cloud) applyFault(w http.ResponseWriter, r *http.Request, svc, rest string) bool {
	f := c.takeFault(r, svc, rest)
	if f == nil {
		return false
	}
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return true
		}
	}
	if f.Status == 0 {
		return false
	}
	cl := &call{c: c, r: r, svc: svc, base: baseURL(r)}
	cl.write(w, cl.fail(f.Status, "", "Injected fault: %s", http.StatusText(f.Status)))
	return true
}
