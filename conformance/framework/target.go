package framework

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
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
		return env, nil
	}
	st, err := startFakeStack(ctx)
	if err != nil {
		return nil, fmt.Errorf("start fake target: %w", err)
	}
	env.local, env.Fake = st, st.fake
	env.Endpoint, env.Token = st.endpoint, st.token
	return env, nil
}

// Close deletes what this process left with the run prefix and stops the
// target parts it started. On the fake target it also fails when the
// in-memory OpenStack still holds an object named with the prefix.
func (e *Env) Close(ctx context.Context) error {
	if e.local == nil {
		return nil
	}
	errs := []error{Sweep(ctx, e)}
	if e.Fake != nil {
		errs = append(errs, WaitInventoryClean(ctx, e.Fake.Cloud.Inventory, e.Prefix))
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
