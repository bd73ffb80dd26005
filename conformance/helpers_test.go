package conformance_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
	"google.golang.org/api/googleapi"
)

// instanceTimeout bounds a spec that creates and deletes an instance.
const instanceTimeout = 5 * time.Minute

// newService returns a compute/v1 client for the target or fails the spec.
func newService(ctx context.Context) *compute.Service {
	svc, err := env.Compute(ctx)
	Expect(err).NotTo(HaveOccurred())
	return svc
}

// skipUnlessSeeded skips a spec that checks names or values of the fixtures
// seed data, which only the fake and the openstack container hold.
func skipUnlessSeeded() {
	if !env.Seeded {
		Skip(fmt.Sprintf("checks the fixtures seed data, which the %s target does not "+
			"hold: run with GCE_API_TARGET=fake", env.Target))
	}
}

// skipUnlessSecondZone skips a spec that needs two zones.
func skipUnlessSecondZone() {
	if env.SecondZone == "" {
		Skip("needs a second zone: set second_zone in the GCE_API_CONFIG file")
	}
}

// imageFamilyPath is the image family in the form
// projects/P/global/images/family/F.
func imageFamilyPath() string {
	return fmt.Sprintf("projects/%s/global/images/family/%s", env.ImageProject, env.ImageFamily)
}

// newInstance returns an insert request for an instance named name in
// env.Zone, with a boot disk from the image family and a one-to-one NAT.
func newInstance(name string) *compute.Instance {
	return &compute.Instance{
		Name:        name,
		MachineType: fmt.Sprintf("zones/%s/machineTypes/%s", env.Zone, env.MachineType),
		Disks: []*compute.AttachedDisk{{
			Boot: true, AutoDelete: true,
			InitializeParams: &compute.AttachedDiskInitializeParams{SourceImage: imageFamilyPath()},
		}},
		NetworkInterfaces: []*compute.NetworkInterface{{
			Network:       "global/networks/default",
			AccessConfigs: []*compute.AccessConfig{{Name: "external-nat", Type: "ONE_TO_ONE_NAT"}},
		}},
	}
}

// insertInstance sends inst, registers its deletion and returns the
// operation that the insert returned.
func insertInstance(ctx context.Context, svc *compute.Service, inst *compute.Instance) *compute.Operation {
	op, err := svc.Instances.Insert(env.Project, env.Zone, inst).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(deleteInstance, svc, env.Zone, inst.Name, NodeTimeout(instanceTimeout))
	return op
}

// createInstance inserts inst, waits for the operation and returns the
// instance as get shows it.
func createInstance(ctx context.Context, svc *compute.Service, inst *compute.Instance) *compute.Instance {
	op := insertInstance(ctx, svc, inst)
	_, err := framework.Wait(ctx, svc, op)
	Expect(err).NotTo(HaveOccurred())
	got, err := svc.Instances.Get(env.Project, env.Zone, inst.Name).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	return got
}

// deleteInstance deletes an instance unless it is already gone, and waits.
func deleteInstance(ctx SpecContext, svc *compute.Service, zone, name string) {
	op, err := svc.Instances.Delete(env.Project, zone, name).Context(ctx).Do()
	if isNotFound(err) {
		return
	}
	Expect(err).NotTo(HaveOccurred())
	// The delete of an instance that failed to build may fail the same way,
	// and that spec has already checked what it needs.
	_, err = framework.Wait(ctx, svc, op)
	var opErr *framework.OperationError
	if !errors.As(err, &opErr) {
		Expect(err).NotTo(HaveOccurred())
	}
}

func isNotFound(err error) bool {
	var apiErr *googleapi.Error
	return errors.As(err, &apiErr) && apiErr.Code == http.StatusNotFound
}

// rawGet sends a GET with the bearer token to a path under /compute/v1/ and
// decodes the JSON body into a map.
func rawGet(ctx context.Context, path string) (int, map[string]any) {
	resp, err := env.Do(ctx, http.MethodGet, env.URL(path), nil, true)
	Expect(err).NotTo(HaveOccurred())
	var body map[string]any
	Expect(json.Unmarshal(resp.Body, &body)).To(Succeed(), "body: %s", resp.Body)
	return resp.Status, body
}

// lastSegment returns the last path segment of a link.
func lastSegment(link string) string {
	return link[strings.LastIndex(link, "/")+1:]
}
