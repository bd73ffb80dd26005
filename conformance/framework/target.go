package framework

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"

	fakeos "github.com/gce-api/gce-api/fakes/openstack"
)

// ResolveTarget returns the target to run against: flagValue when set, else
// GCE_API_TARGET, else fake.
func ResolveTarget(flagValue string) (string, error) {
	target := flagValue
	if target == "" {
		target = os.Getenv("GCE_API_TARGET")
	}
	if target == "" {
		return TargetFake, nil
	}
	known := []string{TargetFake, TargetOpenStack, TargetExternal}
	if !slices.Contains(known, target) {
		return "", fmt.Errorf("unknown target %q: want one of %v", target, known)
	}
	return target, nil
}

// shared holds what Setup started on Ginkgo process 1, for Teardown.
var shared struct {
	stack *stack
	env   *Env
}

// Setup prepares the target once per run, on Ginkgo process 1, and returns
// the Settings that every process passes to Connect. The openstack target
// starts its cloud and the server here. The fake target starts nothing here,
// because each process runs its own in-memory stack in Connect.
func Setup(ctx context.Context, target string) ([]byte, error) {
	prefix, err := Prefix()
	if err != nil {
		return nil, err
	}
	var settings Settings
	switch target {
	case TargetFake:
		settings = seedSettings(TargetFake, prefix)
	case TargetOpenStack:
		settings, err = setupOpenStack(ctx, prefix)
	case TargetExternal:
		settings, err = setupExternal(prefix)
	default:
		err = fmt.Errorf("unknown target %q", target)
	}
	if err != nil {
		return nil, fmt.Errorf("set up target %s: %w", target, err)
	}
	shared.env = newEnv(settings, 1, 1)
	return json.Marshal(settings)
}

func setupExternal(prefix string) (Settings, error) {
	path := os.Getenv("GCE_API_CONFIG")
	if path == "" {
		return Settings{}, errors.New("GCE_API_CONFIG is not set: name the JSON file " +
			"that describes the external target")
	}
	cfg, err := LoadExternalConfig(path)
	if err != nil {
		return Settings{}, err
	}
	return cfg.settings(prefix)
}

func setupOpenStack(ctx context.Context, prefix string) (Settings, error) {
	st, err := startOpenStackStack(ctx)
	if err != nil {
		return Settings{}, err
	}
	shared.stack = st
	settings := seedSettings(TargetOpenStack, prefix)
	settings.Endpoint, settings.Token = st.endpoint, st.token
	settings.OpenStack = st.access
	// An existing cloud from clouds.yaml holds its own data, not the seed.
	settings.Seeded = os.Getenv("GCE_API_CLOUD") == ""
	return settings, nil
}

// Connect builds this process's Env from the output of Setup. On the fake
// target it starts the process's own in-memory OpenStack and server.
// node and nodes are Ginkgo's parallel process number and count.
func Connect(ctx context.Context, data []byte, node, nodes int) (*Env, error) {
	var settings Settings
	if err := json.Unmarshal(data, &settings); err != nil {
		return nil, fmt.Errorf("decode target settings: %w", err)
	}
	env := newEnv(settings, node, nodes)
	if settings.Target != TargetFake {
		endpoint, err := NormalizeEndpoint(settings.Endpoint)
		env.Endpoint = endpoint
		return env, err
	}
	st, err := startFakeStack(ctx)
	if err != nil {
		return nil, fmt.Errorf("start fake target: %w", err)
	}
	baselines.record(st.fake)
	env.local, env.Fake = st, st.fake
	env.Endpoint, env.Token, env.OpenStack = st.endpoint, st.token, st.access
	return env, nil
}

// NormalizeEndpoint returns endpoint with the path /compute/v1/ that the
// compute/v1 client needs: it appends the trailing slash, or the whole
// path when endpoint has none. The client resolves method paths relative
// to the endpoint, so without the slash it sends /compute/projects/...
func NormalizeEndpoint(endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("endpoint %q is not an absolute http(s) URL", endpoint)
	}
	path := strings.TrimSuffix(u.Path, "/")
	if !strings.HasSuffix(path, "/compute/v1") {
		path += "/compute/v1"
	}
	u.Path = path + "/"
	return u.String(), nil
}

// baselines keeps the inventory of each in-memory OpenStack of this
// process as it was before the first spec. Each Ginkgo process starts its
// own fake, so processes never compare against each other's objects.
var baselines = fakeBaselines{byFake: map[*fakeos.Server]map[string][]string{}}

type fakeBaselines struct {
	mu     sync.Mutex
	byFake map[*fakeos.Server]map[string][]string
}

func (b *fakeBaselines) record(fake *fakeos.Server) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.byFake[fake] = fake.Cloud.Inventory()
}

func (b *fakeBaselines) get(fake *fakeos.Server) map[string][]string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.byFake[fake]
}

// leakExceptions returns the objects that may remain beyond baseline after
// the run, each for a reason of the server's design:
//
//   - security group "<network>.egress" of a network of the baseline: the
//     server creates the egress group of a network when the first instance
//     port joins the network, and deletes it only with the network. The
//     baseline networks (the seeded "default") outlive the run, so their
//     egress groups do too. Egress groups of networks made by specs must go
//     with those networks, and are leaks when they stay.
func leakExceptions(baseline map[string][]string, project string) func(kind, name string) bool {
	return func(kind, name string) bool {
		switch kind {
		case "security-groups":
			network, ok := strings.CutSuffix(name, ".egress")
			return ok && slices.Contains(baseline["networks"], network)
		}
		return false
	}
}

// checkFakeBaseline waits until the fake holds exactly what it held before
// the first spec, apart from leakExceptions.
func checkFakeBaseline(ctx context.Context, fake *fakeos.Server, project string) error {
	baseline := baselines.get(fake)
	if baseline == nil {
		return errors.New("no inventory of the in-memory OpenStack was recorded at start")
	}
	err := WaitInventoryBaseline(ctx, fake.Cloud.Inventory, baseline, leakExceptions(baseline, project))
	if err != nil {
		return fmt.Errorf("leak check: %w", err)
	}
	return nil
}

// Close deletes what this process left with the run prefix and stops the
// target parts it started. On the fake target it also fails unless the
// in-memory OpenStack holds exactly the objects it held before the first
// spec, apart from the exceptions of leakExceptions.
func (e *Env) Close(ctx context.Context) error {
	if e.local == nil {
		return nil
	}
	errs := []error{Sweep(ctx, e)}
	if e.Fake != nil {
		errs = append(errs, checkFakeBaseline(ctx, e.Fake, e.Project))
	}
	errs = append(errs, e.local.close(ctx))
	return errors.Join(errs...)
}

// Teardown runs on Ginkgo process 1 after every process has closed its Env:
// it sweeps a shared target for leftovers of the run and stops what Setup
// started.
func Teardown(ctx context.Context) error {
	if shared.env == nil || shared.env.Target == TargetFake {
		return nil
	}
	errs := []error{Sweep(ctx, shared.env)}
	if shared.stack != nil {
		errs = append(errs, shared.stack.close(ctx))
	}
	return errors.Join(errs...)
}
