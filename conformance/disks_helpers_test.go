package conformance_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

// diskTimeout bounds a spec that creates and deletes disks, snapshots or
// images.
const diskTimeout = 3 * time.Minute

// insertDiskOp sends an insert of disk in env.Zone, registers its deletion
// and returns the operation.
func insertDiskOp(ctx context.Context, svc *compute.Service, disk *compute.Disk) *compute.Operation {
	op, err := svc.Disks.Insert(env.Project, env.Zone, disk).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(removeDisk, svc, env.Zone, disk.Name, NodeTimeout(diskTimeout))
	return op
}

// makeDisk inserts disk in env.Zone, waits for the operation and returns
// the disk as get shows it.
func makeDisk(ctx context.Context, svc *compute.Service, disk *compute.Disk) *compute.Disk {
	_, err := framework.Wait(ctx, svc, insertDiskOp(ctx, svc, disk))
	Expect(err).NotTo(HaveOccurred())
	got, err := svc.Disks.Get(env.Project, env.Zone, disk.Name).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	return got
}

// removeDisk deletes a disk unless it is already gone, and waits. It
// retries while the disk is still being created (resourceNotReady).
func removeDisk(ctx SpecContext, svc *compute.Service, zone, name string) {
	var op *compute.Operation
	var err error
	Eventually(func() error {
		op, err = svc.Disks.Delete(env.Project, zone, name).Context(ctx).Do()
		return err
	}).WithContext(ctx).Should(Or(Succeed(), Not(framework.HaveGoogleError(http.StatusBadRequest, "resourceNotReady"))))
	if isNotFound(err) {
		return
	}
	Expect(err).NotTo(HaveOccurred())
	_, err = framework.Wait(ctx, svc, op)
	Expect(err).NotTo(HaveOccurred())
}

// makeSnapshot snapshots a disk of env.Zone, registers the snapshot's
// deletion, waits and returns the snapshot as get shows it.
func makeSnapshot(ctx context.Context, svc *compute.Service, disk, name string) *compute.Snapshot {
	op, err := svc.Disks.CreateSnapshot(env.Project, env.Zone, disk, &compute.Snapshot{Name: name}).
		Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(removeSnapshot, svc, name, NodeTimeout(diskTimeout))
	_, err = framework.Wait(ctx, svc, op)
	Expect(err).NotTo(HaveOccurred())
	snap, err := svc.Snapshots.Get(env.Project, name).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	return snap
}

// removeSnapshot deletes a snapshot unless it is already gone, and waits.
func removeSnapshot(ctx SpecContext, svc *compute.Service, name string) {
	op, err := svc.Snapshots.Delete(env.Project, name).Context(ctx).Do()
	if isNotFound(err) {
		return
	}
	Expect(err).NotTo(HaveOccurred())
	_, err = framework.Wait(ctx, svc, op)
	Expect(err).NotTo(HaveOccurred())
}

// makeImage inserts image in env.Project, registers its deletion, waits and
// returns the image as get shows it.
func makeImage(ctx context.Context, svc *compute.Service, image *compute.Image) *compute.Image {
	op, err := svc.Images.Insert(env.Project, image).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(removeImage, svc, image.Name, NodeTimeout(diskTimeout))
	_, err = framework.Wait(ctx, svc, op)
	Expect(err).NotTo(HaveOccurred())
	got, err := svc.Images.Get(env.Project, image.Name).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	return got
}

// removeImage deletes an image of env.Project unless it is already gone,
// and waits. An image whose insert failed may fail its delete the same way.
func removeImage(ctx SpecContext, svc *compute.Service, name string) {
	op, err := svc.Images.Delete(env.Project, name).Context(ctx).Do()
	if isNotFound(err) {
		return
	}
	Expect(err).NotTo(HaveOccurred())
	_, err = framework.Wait(ctx, svc, op)
	var opErr *framework.OperationError
	if !errors.As(err, &opErr) {
		Expect(err).NotTo(HaveOccurred())
	}
}

// sourceImageFamily returns the configured image family's newest image.
func sourceImageFamily(ctx context.Context, svc *compute.Service) *compute.Image {
	image, err := svc.Images.GetFromFamily(env.ImageProject, env.ImageFamily).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	return image
}

// nameFilter is the filter expression that selects the resource name.
func nameFilter(name string) string {
	return fmt.Sprintf("name = %q", name)
}

// expectUsedBy checks that err is resourceInUseByAnotherResource and names
// the user by its path, projects/p/zones/z/instances/i, as Compute Engine
// messages do, not by a URL.
func expectUsedBy(err error, userPath string) {
	Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "resourceInUseByAnotherResource"))
	Expect(err.Error()).To(ContainSubstring("already being used by '" + userPath + "'"))
}

// instanceResourcePath returns the path of an instance of env.Zone as
// error messages name it.
func instanceResourcePath(name string) string {
	return fmt.Sprintf("projects/%s/zones/%s/instances/%s", env.Project, env.Zone, name)
}

// otherProject names a project that the specs' credentials do not reach.
const otherProject = "other-project-x"
