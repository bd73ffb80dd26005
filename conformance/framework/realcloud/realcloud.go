package realcloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/gce-api/gce-api/server/openstack"
)

// DefaultImage is the image that make openstack-image builds.
const DefaultImage = "gce-api-openstack:latest"

// ReadyLine is the line the image's entrypoint prints on standard output once
// every API responds and the compute and volume services report up.
const ReadyLine = "OPENSTACK READY"

// ReadyTimeout bounds the wait for ReadyLine. A container of the baked-in
// cloud is ready about a minute after it starts; the rest is margin for
// slow or busy machines.
const ReadyTimeout = 6 * time.Minute

// logTailLines is how many lines of the container's output a start error carries.
const logTailLines = 40

// Cloud is a running OpenStack container and the credentials of two of its
// users: demo, whom the server works as, and admin.
type Cloud struct {
	Credentials openstack.Credentials // user demo in project demo
	Admin       openstack.Credentials // user admin in project admin
	Container   testcontainers.Container
}

// Start runs image (DefaultImage when empty) and waits for ReadyLine. It builds
// nothing, so a missing image is an error that names make openstack-image.
// Start disables testcontainers' reaper container, whose image would have to
// come from a registry, so the caller must call Terminate.
func Start(ctx context.Context, image string) (*Cloud, error) {
	if image == "" {
		image = DefaultImage
	}
	// testcontainers-go reads its configuration once, at first use.
	if err := os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true"); err != nil {
		return nil, fmt.Errorf("disable the testcontainers reaper: %w", err)
	}
	container, err := testcontainers.Run(ctx, image,
		testcontainers.WithHostConfigModifier(bindLoopbackOnly),
		testcontainers.WithWaitStrategyAndDeadline(ReadyTimeout,
			wait.ForLog(ReadyLine).WithStartupTimeout(ReadyTimeout)))
	if err != nil {
		return nil, startError(ctx, image, container, err)
	}
	address, err := container.ContainerIP(ctx)
	if err != nil {
		terminate(ctx, container)
		return nil, fmt.Errorf("read the address of the %s container: %w", image, err)
	}
	return &Cloud{Credentials: DemoCredentials(address), Admin: AdminCredentials(address),
		Container: container}, nil
}

// DemoCredentials returns the credentials of user demo in project demo of the
// image's cloud, whose Keystone listens on address port 5000.
func DemoCredentials(address string) openstack.Credentials {
	return seedUser(address, "demo")
}

// AdminCredentials returns the credentials of user admin, who has the admin
// role in project admin, of the image's cloud at address.
func AdminCredentials(address string) openstack.Credentials {
	return seedUser(address, "admin")
}

// seedUser returns the credentials of a user of the seed data, whose
// password and project are both named after the user.
func seedUser(address, name string) openstack.Credentials {
	return openstack.Credentials{
		AuthURL:           "http://" + address + ":5000/v3",
		Username:          name,
		Password:          name,
		ProjectName:       name,
		UserDomainName:    "Default",
		ProjectDomainName: "Default",
		RegionName:        "RegionOne",
	}
}

// LogDir is the directory of the logs of the container's daemons.
const LogDir = "/var/log/gce-openstack"

// SaveLogs writes the logs of every daemon of the container to path, a
// gzipped tar file, so that a failed run can be read after the container
// is gone.
func (c *Cloud) SaveLogs(ctx context.Context, path string) error {
	if c == nil || c.Container == nil {
		return nil
	}
	const archive = "/tmp/gce-openstack-logs.tar.gz"
	code, _, err := c.Container.Exec(ctx, []string{"tar", "-czf", archive, "-C", LogDir, "."})
	if err == nil && code != 0 {
		err = fmt.Errorf("tar exited with status %d", code)
	}
	if err != nil {
		return fmt.Errorf("archive the logs of the OpenStack container: %w", err)
	}
	data, err := c.Container.CopyFileFromContainer(ctx, archive)
	if err != nil {
		return fmt.Errorf("copy the logs of the OpenStack container: %w", err)
	}
	defer data.Close()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, data); err != nil {
		out.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return out.Close()
}

// Terminate kills and removes the container. The cloud is thrown away, so
// Terminate does not wait for its daemons to shut down cleanly.
func (c *Cloud) Terminate(ctx context.Context) error {
	if c == nil || c.Container == nil {
		return nil
	}
	return c.Container.Terminate(ctx, testcontainers.StopTimeout(0))
}

// startError describes a failed start, with the end of the container's output
// when there is a container, and removes that container.
func startError(ctx context.Context, image string, container testcontainers.Container, err error) error {
	if container == nil {
		return fmt.Errorf("start %s (build it with make openstack-image): %w", image, err)
	}
	tail := logTail(context.WithoutCancel(ctx), container, logTailLines)
	terminate(ctx, container)
	return fmt.Errorf("start %s: %w\nlast %d lines of container output:\n%s",
		image, err, logTailLines, tail)
}

func terminate(ctx context.Context, container testcontainers.Container) {
	// The start error is what the caller needs, and a failed removal only leaves a container behind.
	_ = container.Terminate(context.WithoutCancel(ctx), testcontainers.StopTimeout(0))
}

// logTail returns the last n lines of the container's output, or why it could not be read.
func logTail(ctx context.Context, container testcontainers.Container, n int) string {
	logs, err := container.Logs(ctx)
	if err != nil {
		return "(could not read the container output: " + err.Error() + ")"
	}
	defer logs.Close()
	data, err := io.ReadAll(logs)
	if err != nil && !errors.Is(err, io.EOF) {
		return "(could not read the container output: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// servicePorts are the API ports of the image's services.
var servicePorts = []string{"5000", "8774", "8776", "8778", "9292", "9696"}

// bindLoopbackOnly publishes the service ports, should the image expose
// them, on the host's loopback only. Clients reach the services at the
// container's bridge address, which the catalog names.
func bindLoopbackOnly(hc *container.HostConfig) {
	hc.PublishAllPorts = false
	if hc.PortBindings == nil {
		hc.PortBindings = network.PortMap{}
	}
	for _, p := range servicePorts {
		port, err := network.ParsePort(p + "/tcp")
		if err != nil {
			continue
		}
		hc.PortBindings[port] = []network.PortBinding{{HostIP: netip.MustParseAddr("127.0.0.1")}}
	}
}
