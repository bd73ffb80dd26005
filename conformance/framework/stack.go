package framework

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/gce-api/gce-api/conformance/framework/realcloud"
	fakeos "github.com/gce-api/gce-api/fakes/openstack"
	"github.com/gce-api/gce-api/server"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/onsi/ginkgo/v2"
)

// OpenStackImage is the container image that the openstack target starts
// when GCE_API_CLOUD names no existing cloud.
const OpenStackImage = "gce-api-openstack:latest"

// stack is the set of processes-in-a-process that a target runs: an optional
// in-memory OpenStack or OpenStack container, and the server in front of it.
type stack struct {
	fake     *fakeos.Server
	cloud    *realcloud.Cloud
	server   *server.Server
	http     *http.Server
	stateDir string
	endpoint string           // http://127.0.0.1:PORT/compute/v1/
	token    string           // Keystone token of the demo user
	access   *OpenStackAccess // the users of the OpenStack behind the server
}

func startFakeStack(ctx context.Context) (*stack, error) {
	// Glance's default import filter rejects loopback hosts and ports other
	// than 80 and 443. The suite's file servers are on 127.0.0.1, so the fake
	// allows that host, as an operator's allowed_hosts would.
	fake, err := fakeos.Start("127.0.0.1:0", fakeos.Options{Timings: fakeos.FastTimings(),
		ImportFilter: &fakeos.ImportFilter{AllowedHosts: []string{"127.0.0.1"}}})
	if err != nil {
		return nil, err
	}
	st := &stack{fake: fake, access: fakeAccess(fake.AuthURL())}
	return st, st.serve(ctx, st.access.Demo)
}

func startOpenStackStack(ctx context.Context) (*stack, error) {
	st := &stack{}
	access, err := st.openStackAccess(ctx)
	if err != nil {
		return nil, err
	}
	st.access = access
	return st, st.serve(ctx, access.Demo)
}

// openStackAccess returns the clouds.yaml entries named by GCE_API_CLOUD and
// GCE_API_ADMIN_CLOUD, or starts the OpenStack container and returns the
// credentials of its users.
func (st *stack) openStackAccess(ctx context.Context) (*OpenStackAccess, error) {
	if name := os.Getenv("GCE_API_CLOUD"); name != "" {
		return cloudsYAMLAccess(name)
	}
	cloud, err := realcloud.Start(ctx, OpenStackImage)
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", OpenStackImage, err)
	}
	st.cloud = cloud
	return cloudAccess(cloud), nil
}

// serve starts the server on 127.0.0.1 in front of creds' cloud and issues
// the token that the specs send. On failure it stops what it started.
func (st *stack) serve(ctx context.Context, creds openstack.Credentials) error {
	err := st.startServer(ctx, creds)
	if err == nil {
		err = st.issueToken(ctx, creds)
	}
	if err != nil {
		return errors.Join(err, st.close(context.WithoutCancel(ctx)))
	}
	return nil
}

func (st *stack) startServer(ctx context.Context, creds openstack.Credentials) error {
	dir, err := os.MkdirTemp("", "gce-api-conformance-")
	if err != nil {
		return err
	}
	st.stateDir = dir
	// The server may keep ctx for background work, and the caller's ctx
	// ends with the Ginkgo node that starts the target.
	st.server, err = server.New(context.WithoutCancel(ctx), server.Config{
		Credentials: creds,
		StatePath:   filepath.Join(dir, "state.db"),
		Logger:      slog.New(slog.NewTextHandler(ginkgo.GinkgoWriter, nil)),
	})
	if err != nil {
		return fmt.Errorf("start server: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	st.http = &http.Server{Handler: st.server, ReadHeaderTimeout: 10 * time.Second}
	go st.http.Serve(ln)
	st.endpoint = "http://" + ln.Addr().String() + "/compute/v1/"
	return nil
}

func (st *stack) issueToken(ctx context.Context, creds openstack.Credentials) error {
	token, err := openstack.IssueToken(ctx, creds)
	if err != nil {
		return fmt.Errorf("issue Keystone token for %s: %w", creds.Username, err)
	}
	st.token = token.ID
	return nil
}

// close stops every part in reverse start order and removes the state.
func (st *stack) close(ctx context.Context) error {
	var errs []error
	if st.http != nil {
		errs = append(errs, st.http.Shutdown(ctx))
	}
	if st.server != nil {
		errs = append(errs, st.server.Close())
	}
	if st.fake != nil {
		errs = append(errs, st.fake.Close())
	}
	if st.cloud != nil {
		logs := filepath.Join(ResultsDir(), "openstack-logs.tar.gz")
		errs = append(errs, st.cloud.SaveLogs(ctx, logs), st.cloud.Terminate(ctx))
	}
	if st.stateDir != "" {
		errs = append(errs, os.RemoveAll(st.stateDir))
	}
	return errors.Join(errs...)
}
