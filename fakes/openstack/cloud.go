package openstack

import (
	"net/http"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"github.com/gce-api/gce-api/fixtures"
)

// Options configure a Cloud. The zero value is valid.
type Options struct {
	Seed    *fixtures.Cloud // nil: fixtures.DefaultCloud()
	Clock   Clock           // nil: the real clock
	Timings Timings         // zero fields take the DefaultTimings values
	// ImportFilter limits the URIs of web-download imports; nil:
	// DefaultImportFilter.
	ImportFilter *ImportFilter
}

// Cloud is one in-memory OpenStack deployment. It is an http.Handler that
// serves every service under its path prefix, and it is safe for
// concurrent use.
type Cloud struct {
	mu      sync.Mutex
	clock   Clock
	timings Timings
	routers map[string]*mux.Router

	importFilter ImportFilter

	events   []event
	eventSeq int

	faultMu       sync.Mutex
	faults        []*activeFault
	buildFailures map[int]*regexp.Regexp
	failureSeq    int

	region, domainID, domainName string
	zones                        []string
	projects                     map[string]*project
	users                        map[string]*user
	tokens                       map[string]*token

	flavors  []*flavor
	servers  map[string]*server
	keypairs map[string]*keypair

	networks  map[string]*network
	subnets   map[string]*subnet
	ports     map[string]*port
	routersL3 map[string]*router
	floatings map[string]*floatingIP
	secGroups map[string]*securityGroup
	secRules  map[string]*securityGroupRule

	volumes     map[string]*volume
	snapshots   map[string]*snapshot
	attachments map[string]*volumeAttachment

	images map[string]*image
}

// New builds a Cloud from opts and loads its seed.
func New(opts Options) (*Cloud, error) {
	seed := opts.Seed
	if seed == nil {
		seed = fixtures.DefaultCloud()
	}
	clock := opts.Clock
	if clock == nil {
		clock = realClock{}
	}
	c := &Cloud{
		clock:         clock,
		timings:       opts.Timings.withDefaults(),
		buildFailures: map[int]*regexp.Regexp{},
		projects:      map[string]*project{},
		users:         map[string]*user{},
		tokens:        map[string]*token{},
		servers:       map[string]*server{},
		keypairs:      map[string]*keypair{},
		networks:      map[string]*network{},
		subnets:       map[string]*subnet{},
		ports:         map[string]*port{},
		routersL3:     map[string]*router{},
		floatings:     map[string]*floatingIP{},
		secGroups:     map[string]*securityGroup{},
		secRules:      map[string]*securityGroupRule{},
		volumes:       map[string]*volume{},
		snapshots:     map[string]*snapshot{},
		attachments:   map[string]*volumeAttachment{},
		images:        map[string]*image{},
	}
	c.importFilter = DefaultImportFilter()
	if opts.ImportFilter != nil {
		c.importFilter = *opts.ImportFilter
	}
	if err := c.load(seed); err != nil {
		return nil, err
	}
	c.routers = c.buildRouters()
	return c, nil
}

// after schedules fire to run d after now.
func (c *Cloud) after(now time.Time, d time.Duration, fire func()) {
	c.eventSeq++
	c.events = append(c.events, event{at: now.Add(d), seq: c.eventSeq, fire: fire})
}

// fireDue runs, in time order, every event due at or before now. Events
// may schedule further events, which run in the same call when due.
func (c *Cloud) fireDue(now time.Time) {
	for {
		sort.Slice(c.events, func(i, j int) bool {
			a, b := c.events[i], c.events[j]
			return a.at.Before(b.at) || (a.at.Equal(b.at) && a.seq < b.seq)
		})
		if len(c.events) == 0 || c.events[0].at.After(now) {
			return
		}
		e := c.events[0]
		c.events = c.events[1:]
		e.fire()
	}
}

// FailServerBuilds makes servers whose name matches re go BUILD -> ERROR
// (with a fault {"code":500,"message":...}) instead of ACTIVE.
func (c *Cloud) FailServerBuilds(re *regexp.Regexp) (remove func()) {
	c.faultMu.Lock()
	defer c.faultMu.Unlock()
	c.failureSeq++
	id := c.failureSeq
	c.buildFailures[id] = re
	return func() {
		c.faultMu.Lock()
		defer c.faultMu.Unlock()
		delete(c.buildFailures, id)
	}
}

// buildFails reports whether a server named name must end in ERROR.
func (c *Cloud) buildFails(name string) bool {
	c.faultMu.Lock()
	defer c.faultMu.Unlock()
	for _, re := range c.buildFailures {
		if re.MatchString(name) {
			return true
		}
	}
	return false
}

// Inventory lists every resource the cloud holds now, by kind ("servers",
// "volumes", "snapshots", "networks", "subnets", "routers", "ports",
// "floatingips", "security-groups", "images", "keypairs"), as names, or ids
// for unnamed resources. Each list is sorted.
func (c *Cloud) Inventory() map[string][]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fireDue(c.clock.Now())
	inv := map[string][]string{}
	add := func(kind, name, id string) {
		if name == "" {
			name = id
		}
		inv[kind] = append(inv[kind], name)
	}
	for _, s := range c.servers {
		add("servers", s.Name, s.ID)
	}
	for _, v := range c.volumes {
		add("volumes", v.Name, v.ID)
	}
	for _, s := range c.snapshots {
		add("snapshots", s.Name, s.ID)
	}
	c.inventoryNeutron(add)
	for _, i := range c.images {
		add("images", i.Name, i.ID)
	}
	for _, k := range c.keypairs {
		add("keypairs", k.Name, k.Name)
	}
	for _, names := range inv {
		sort.Strings(names)
	}
	return inv
}

func (c *Cloud) inventoryNeutron(add func(kind, name, id string)) {
	for _, n := range c.networks {
		add("networks", n.Name, n.ID)
	}
	for _, s := range c.subnets {
		add("subnets", s.Name, s.ID)
	}
	for _, r := range c.routersL3 {
		add("routers", r.Name, r.ID)
	}
	for _, p := range c.ports {
		add("ports", p.Name, p.ID)
	}
	for _, f := range c.floatings {
		add("floatingips", f.Address, f.ID)
	}
	for _, g := range c.secGroups {
		add("security-groups", g.Name, g.ID)
	}
}

// ServeHTTP serves the five services under /identity, /compute,
// /networking, /volume and /image.
func (c *Cloud) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	svc, rest := splitService(r.URL.Path)
	rt, ok := c.routers[svc]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{
			"error": map[string]any{"code": 404, "title": "Not Found",
				"message": "No OpenStack service is served under " + r.URL.Path},
		})
		return
	}
	if c.applyFault(w, r, svc, rest) {
		return
	}
	inner := r.Clone(r.Context())
	inner.URL.Path = rest
	inner.URL.RawPath = ""
	rt.ServeHTTP(w, inner)
}
