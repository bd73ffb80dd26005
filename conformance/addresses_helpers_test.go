package conformance_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"golang.org/x/crypto/ssh"
	compute "google.golang.org/api/compute/v1"
	"google.golang.org/api/googleapi"
)

// waitDone waits for op and fails the spec unless it ends DONE without error.
func waitDone(ctx context.Context, svc *compute.Service, op *compute.Operation) *compute.Operation {
	done, err := framework.Wait(ctx, svc, op)
	Expect(err).NotTo(HaveOccurred())
	Expect(done.Status).To(Equal("DONE"))
	return done
}

// createAddress reserves a regional address, registers its release and
// returns it as get shows it.
func createAddress(ctx context.Context, svc *compute.Service, addr *compute.Address) *compute.Address {
	op, err := svc.Addresses.Insert(env.Project, env.Region, addr).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(deleteAddress, svc, addr.Name)
	waitDone(ctx, svc, op)
	got, err := svc.Addresses.Get(env.Project, env.Region, addr.Name).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	return got
}

// deleteAddress releases an address unless it is already gone.
func deleteAddress(ctx SpecContext, svc *compute.Service, name string) {
	op, err := svc.Addresses.Delete(env.Project, env.Region, name).Context(ctx).Do()
	if isNotFound(err) {
		return
	}
	Expect(err).NotTo(HaveOccurred())
	waitDone(ctx, svc, op)
}

// getAddress returns an address or fails the spec.
func getAddress(ctx context.Context, svc *compute.Service, name string) *compute.Address {
	got, err := svc.Addresses.Get(env.Project, env.Region, name).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	return got
}

// getInstance returns an instance of env.Zone or fails the spec.
func getInstance(ctx context.Context, svc *compute.Service, name string) *compute.Instance {
	got, err := svc.Instances.Get(env.Project, env.Zone, name).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	return got
}

// natIPs returns the NAT IPs of an instance's first network interface.
func natIPs(inst *compute.Instance) []string {
	var out []string
	for _, ac := range inst.NetworkInterfaces[0].AccessConfigs {
		out = append(out, ac.NatIP)
	}
	return out
}

// blankDisk returns a non-boot disk of 1 GB named name, made at insert.
func blankDisk(name, deviceName string, autoDelete bool) *compute.AttachedDisk {
	return &compute.AttachedDisk{AutoDelete: autoDelete, DeviceName: deviceName,
		InitializeParams: &compute.AttachedDiskInitializeParams{DiskName: name, DiskSizeGb: 1}}
}

// attachedDisk returns the disk of inst whose source names disk, or nil.
func attachedDisk(inst *compute.Instance, disk string) *compute.AttachedDisk {
	for _, d := range inst.Disks {
		if lastSegment(d.Source) == disk {
			return d
		}
	}
	return nil
}

// diskServed returns the disk and true when the target serves disks.get,
// and false when it returns 501 notImplemented.
func diskServed(ctx context.Context, svc *compute.Service, disk string) (*compute.Disk, bool) {
	got, err := svc.Disks.Get(env.Project, env.Zone, disk).Context(ctx).Do()
	var apiErr *googleapi.Error
	if errors.As(err, &apiErr) && apiErr.Code == http.StatusNotImplemented {
		return nil, false
	}
	Expect(err).NotTo(HaveOccurred())
	return got, true
}

// postRaw sends a POST with a raw body to a path under /compute/v1/ and
// returns the status and the decoded body.
func postRaw(ctx context.Context, path, body string) (int, map[string]any) {
	resp, err := env.Do(ctx, http.MethodPost, env.URL(path), strings.NewReader(body), true)
	Expect(err).NotTo(HaveOccurred())
	var out map[string]any
	Expect(json.Unmarshal(resp.Body, &out)).To(Succeed(), "body: %s", resp.Body)
	return resp.Status, out
}

// waitRawOperation waits for the zonal operation a raw POST returned.
func waitRawOperation(ctx context.Context, svc *compute.Service, op map[string]any) {
	name, _ := op["name"].(string)
	Expect(name).NotTo(BeEmpty(), "operation: %v", op)
	got, err := svc.ZoneOperations.Get(env.Project, env.Zone, name).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	waitDone(ctx, svc, got)
}

// newSSHKey returns a fresh public key in authorized_keys form.
func newSSHKey() string {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	Expect(err).NotTo(HaveOccurred())
	key, err := ssh.NewPublicKey(pub)
	Expect(err).NotTo(HaveOccurred())
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key)))
}

// urlSafe rewrites a base64 fingerprint in the URL-safe alphabet, as gcloud
// sends fingerprints back.
func urlSafe(fingerprint string) string {
	return strings.NewReplacer("+", "-", "/", "_").Replace(fingerprint)
}

// metadataItems builds metadata items from key, value pairs.
func metadataItems(pairs ...string) []*compute.MetadataItems {
	var out []*compute.MetadataItems
	for i := 0; i+1 < len(pairs); i += 2 {
		value := pairs[i+1]
		out = append(out, &compute.MetadataItems{Key: pairs[i], Value: &value})
	}
	return out
}

// projectKeypairPrefix is how the server starts the names of the key pairs
// it makes for the project's ssh keys.
func projectKeypairPrefix() string {
	return fmt.Sprintf("gce-%s-", env.Project)
}
