package conformance_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gce-api/gce-api/conformance/framework"
	fakeos "github.com/gce-api/gce-api/fakes/openstack"
	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/floatingips"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
)

// Each Describe below is one behaviour that users of Compute Engine
// clients and emulators reported broken, with the value GCE returns.
var _ = Describe("Field reports", Label("field-reports"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	Describe("list filter grammar", Label("compute.instances.list", "instances"), func() {
		It("evaluates each clause and rejects the mixed form", func(ctx SpecContext) {
			web, db := env.Name("web"), env.Name("db")
			webInst := instanceOn(web, "default")
			webInst.Labels = map[string]string{"env": "prod"}
			dbInst := instanceOn(db, "default")
			dbInst.Labels = map[string]string{"owner": "prod"}
			createInstance(ctx, svc, webInst)
			createInstance(ctx, svc, dbInst)

			ours := func(filter string) []string {
				list, err := svc.Instances.List(env.Project, env.Zone).Filter(filter).Context(ctx).Do()
				Expect(err).NotTo(HaveOccurred(), "filter %q", filter)
				var names []string
				for _, inst := range list.Items {
					if inst.Name == web || inst.Name == db {
						names = append(names, inst.Name)
					}
				}
				return names
			}
			webPrefix := strings.TrimSuffix(web, web[strings.LastIndex(web, "-"):])
			Expect(ours("name eq web")).To(BeEmpty(), "a regular expression matches the whole name")
			Expect(ours("name eq "+webPrefix)).To(BeEmpty(), "a regular expression matches the whole name")
			Expect(ours("name eq " + webPrefix + "-.*")).To(Equal([]string{web}))
			Expect(ours("labels.env = prod")).To(Equal([]string{web}))
			Expect(ours("labels.env:*")).To(Equal([]string{web}))
			webSuffix := strings.TrimPrefix(web, env.Prefix+"-")
			gcloudStyle := fmt.Sprintf(`name eq ".*\b%s\b.*"`, regexp.QuoteMeta(webSuffix))
			Expect(ours(gcloudStyle)).To(Equal([]string{web}), "filter %s", gcloudStyle)

			_, err := svc.Instances.List(env.Project, env.Zone).
				Filter("(name eq " + webPrefix + "-.*) AND labels.env = prod").Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		}, SpecTimeout(instanceTimeout))
	})

	Describe("pagination", Label("compute.networks.list", "networks"), func() {
		It("ends pages without a token and keeps every item once, by name", func(ctx SpecContext) {
			var names []string
			for i := range 5 {
				name := env.Name("page")
				createNetwork(ctx, svc, &compute.Network{Name: name,
					IPv4Range: fmt.Sprintf("10.247.%d.0/24", i)})
				names = append(names, name)
			}
			slices.Sort(names)
			filter := "name eq " + env.Prefix + "-page-.*"

			for _, size := range []int{5, 2} {
				pages := networkPages(ctx, filter, size)
				var got []string
				for i, page := range pages {
					Expect(len(page.names)).To(BeNumerically("<=", size))
					if i < len(pages)-1 {
						Expect(page.token).NotTo(BeEmpty(), "page %d of size %d", i, size)
					}
					got = append(got, page.names...)
				}
				last := pages[len(pages)-1]
				Expect(last.hasToken).To(BeFalse(), "the last page carries nextPageToken %q", last.token)
				Expect(got).To(Equal(names), "pages of size %d", size)
			}
			Expect(networkPages(ctx, filter, 2)).To(HaveLen(3))

			By("rejecting maxResults above 500 and accepting 0")
			_, err := svc.Networks.List(env.Project).MaxResults(501).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			status, body := rawGet(ctx, fmt.Sprintf("projects/%s/global/networks?maxResults=0&filter=%s",
				env.Project, url.QueryEscape(filter)))
			Expect(status).To(Equal(http.StatusOK), "body: %v", body)
			Expect(body["items"]).To(HaveLen(5))
		}, SpecTimeout(instanceTimeout))
	})

	Describe("endpoint and base path", Label("compute.zones.list", "errors"), func() {
		It("serves the client at /compute/v1/ and normalises a bare endpoint", func(ctx SpecContext) {
			bare := strings.TrimSuffix(env.Endpoint, "/")
			var paths []string
			_, err := endpointClient(ctx, env.Endpoint, &paths).Zones.List(env.Project).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(paths).To(ConsistOf(HaveSuffix("/compute/v1/projects/" + env.Project + "/zones")))

			By("sending /compute/projects/... without the trailing slash")
			paths = nil
			_, err = endpointClient(ctx, bare, &paths).Zones.List(env.Project).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
			Expect(paths).To(ConsistOf(HaveSuffix("/compute/projects/" + env.Project + "/zones")))

			By("normalising the endpoint first")
			normalised, err := framework.NormalizeEndpoint(bare)
			Expect(err).NotTo(HaveOccurred())
			Expect(normalised).To(Equal(env.Endpoint))
			_, err = endpointClient(ctx, normalised, &paths).Zones.List(env.Project).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
		})

		It("returns the JSON 404 envelope for unknown paths", func(ctx SpecContext) {
			for _, path := range []string{"compute/v1/nope", "compute/beta/x", "random"} {
				resp, err := env.Do(ctx, http.MethodGet, env.RootURL(path), nil, true)
				Expect(err).NotTo(HaveOccurred())
				Expect(string(resp.Body)).NotTo(ContainSubstring("<html"), "path /%s", path)
				expectEnvelope(resp, http.StatusNotFound, "notFound")
			}
		})

		It("serves a discovery document rooted at this server", func(ctx SpecContext) {
			resp, err := env.Do(ctx, http.MethodGet, env.RootURL("discovery/v1/apis/compute/v1/rest"), nil, false)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.Status).To(Equal(http.StatusOK), "body: %.300s", resp.Body)
			var doc struct {
				RootURL     string `json:"rootUrl"`
				ServicePath string `json:"servicePath"`
			}
			Expect(json.Unmarshal(resp.Body, &doc)).To(Succeed())
			Expect(doc.RootURL).To(Equal(env.RootURL("")))
			Expect(doc.RootURL + doc.ServicePath).To(Equal(env.Endpoint))
		})
	})

	Describe("selfLink forms", Label("compute.instances.insert", "compute.instances.get", "instances"), func() {
		It("accepts every form of a network reference and stores one link", func(ctx SpecContext) {
			network := env.Name("net")
			createNetwork(ctx, svc, &compute.Network{Name: network, IPv4Range: "10.248.0.0/16"})
			got, err := svc.Networks.Get(env.Project, network).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.SelfLink).To(Equal(env.URL("projects/" + env.Project + "/global/networks/" + network)))

			path := "projects/" + env.Project + "/global/networks/" + network
			for _, ref := range []string{
				got.SelfLink,
				"global/networks/" + network,
				path,
				"https://www.googleapis.com/compute/v1/" + path,
				"https://compute.googleapis.com/compute/v1/" + path,
			} {
				inst := instanceOn(env.Name("vm"), network)
				inst.NetworkInterfaces[0].Network = ref
				op := insertInstance(ctx, svc, inst)
				Expect(op.TargetLink).To(HavePrefix(env.Endpoint))
				Expect(op.Zone).To(HavePrefix(env.Endpoint))
				waitDone(ctx, svc, op)
				view := getInstance(ctx, svc, inst.Name)
				Expect(view.NetworkInterfaces[0].Network).To(Equal(got.SelfLink), "network given as %s", ref)
				Expect(view.SelfLink).To(HavePrefix(env.Endpoint))
				Expect(view.Zone).To(HavePrefix(env.Endpoint))
				Expect(view.MachineType).To(HavePrefix(env.Endpoint))
				deleteInstance(ctx, svc, env.Zone, inst.Name)
			}
		}, SpecTimeout(instanceTimeout))
	})

	Describe("floating IP description update", Label("compute.instances.insert", "compute.addresses.get",
		"addresses"), func() {
		// Releasing an external IP (JSON null port_id, reserved address back
		// to RESERVED with no users) is specified under Instance actions.
		It("keeps the association when the description changes", func(ctx SpecContext) {
			neutron := openStack(ctx).Network
			addr := createAddress(ctx, svc, &compute.Address{Name: env.Name("addr")})
			inst := newInstance(env.Name("vm"))
			inst.NetworkInterfaces[0].AccessConfigs[0].NatIP = addr.Address
			createInstance(ctx, svc, inst)

			before := floatingIPAt(ctx, addr.Address)
			id := before.ID
			Expect(before.PortID).NotTo(BeEmpty())
			description := "changed by the field-report spec"
			_, err := floatingips.Update(ctx, neutron, id, floatingips.UpdateOpts{Description: &description}).Extract()
			Expect(err).NotTo(HaveOccurred())

			after, err := floatingips.Get(ctx, neutron, id).Extract()
			Expect(err).NotTo(HaveOccurred())
			Expect(after.Description).To(Equal(description))
			Expect(after.PortID).To(Equal(before.PortID))
			Expect(natIPs(getInstance(ctx, svc, inst.Name))).To(Equal([]string{addr.Address}))
			Expect(getAddress(ctx, svc, addr.Name).Status).To(Equal("IN_USE"))
		}, SpecTimeout(instanceTimeout))
	})

	Describe("Nova microversion 2.47 flavor", Label("compute.instances.get", "compute.instances.insert",
		"instances"), func() {
		// Serial: the new flavor is public, so it shows in the machine-type
		// lists of the specs that other processes run meanwhile.
		It("keeps the machine type after the flavor is deleted", Serial, func(ctx SpecContext) {
			admin := openStackAdmin(ctx, "create a flavor").Compute
			machineType := env.Name("mt")
			// The server maps '.' in a flavor name to '-' in the machine type.
			flavorName := strings.ReplaceAll(machineType, "-", ".")
			flavor, err := flavors.Create(ctx, admin, flavors.CreateOpts{Name: flavorName,
				RAM: 1024, VCPUs: 1, Disk: gophercloud.IntToPointer(10)}).Extract()
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(func(ctx SpecContext) {
				err := flavors.Delete(ctx, admin, flavor.ID).ExtractErr()
				if !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
					Expect(err).NotTo(HaveOccurred())
				}
				// Later specs list the machine types, so the spec ends only
				// when the server's cached flavor list has dropped the flavor.
				Eventually(func() error {
					_, err := svc.MachineTypes.Get(env.Project, env.Zone, machineType).Context(ctx).Do()
					return err
				}).WithContext(ctx).WithTimeout(30 * time.Second).WithPolling(time.Second).
					Should(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
			}, NodeTimeout(time.Minute))

			By("starting an instance of the new machine type")
			inst := instanceOn(env.Name("vm"), "default")
			inst.MachineType = fmt.Sprintf("zones/%s/machineTypes/%s", env.Zone, machineType)
			var op *compute.Operation
			// The server caches the flavor list for up to ten seconds.
			Eventually(func() error {
				op, err = svc.Instances.Insert(env.Project, env.Zone, inst).Context(ctx).Do()
				return err
			}).WithContext(ctx).WithTimeout(30 * time.Second).WithPolling(time.Second).Should(Succeed())
			DeferCleanup(deleteInstance, svc, env.Zone, inst.Name, NodeTimeout(instanceTimeout))
			waitDone(ctx, svc, op)
			want := env.URL(fmt.Sprintf("projects/%s/zones/%s/machineTypes/%s", env.Project, env.Zone, machineType))
			Expect(getInstance(ctx, svc, inst.Name).MachineType).To(Equal(want))

			By("deleting the flavor")
			Expect(flavors.Delete(ctx, admin, flavor.ID).ExtractErr()).To(Succeed())
			Expect(getInstance(ctx, svc, inst.Name).MachineType).To(Equal(want))
			list, err := svc.Instances.List(env.Project, env.Zone).Filter("name eq " + inst.Name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(list.Items).To(HaveLen(1))
			Expect(list.Items[0].MachineType).To(Equal(want))
		}, SpecTimeout(instanceTimeout))
	})

	Describe("attachDisk waits for Cinder", Label("compute.instances.attachDisk", "compute.instances.detachDisk",
		"compute.disks.get", "instances"), func() {
		It("shows the disk's users only once the operation is DONE", func(ctx SpecContext) {
			inst := createInstance(ctx, svc, instanceOn(env.Name("vm"), "default"))
			disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("disk"), SizeGb: 1})

			attach, err := svc.Instances.AttachDisk(env.Project, env.Zone, inst.Name,
				&compute.AttachedDisk{Source: disk.SelfLink, DeviceName: "data"}).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(attach.Status).NotTo(Equal("DONE"))
			during, err := svc.Disks.Get(env.Project, env.Zone, disk.Name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred(), "disks.get while attachDisk runs")
			Expect(during.Users).To(Or(BeEmpty(), Equal([]string{inst.SelfLink})))

			waitDone(ctx, svc, attach)
			attached, err := svc.Disks.Get(env.Project, env.Zone, disk.Name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(attached.Users).To(Equal([]string{inst.SelfLink}))
			Expect(attachedDisk(getInstance(ctx, svc, inst.Name), disk.Name)).To(
				HaveField("DeviceName", "data"))

			By("detaching it")
			detachOp := detach(ctx, svc, inst.Name, "data")
			Expect(detachOp.Status).NotTo(Equal("DONE"))
			waitDone(ctx, svc, detachOp)
			detached, err := svc.Disks.Get(env.Project, env.Zone, disk.Name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(detached.Users).To(BeEmpty())
			Expect(attachedDisk(getInstance(ctx, svc, inst.Name), disk.Name)).To(BeNil())
		}, SpecTimeout(instanceTimeout))
	})

	Describe("external IP on insert", Label("compute.instances.insert", "compute.instances.delete",
		"compute.addresses.get", "instances"), func() {
		It("gives, omits or uses a reserved IP and frees it on delete", func(ctx SpecContext) {
			var before map[string][]string
			if env.Fake != nil {
				before = env.Fake.Cloud.Inventory()
			}
			addr := createAddress(ctx, svc, &compute.Address{Name: env.Name("addr")})
			ephemeral := createInstance(ctx, svc, newInstance(env.Name("vm")))
			Expect(natIPs(ephemeral)).To(HaveLen(1))
			Expect(natIPs(ephemeral)[0]).To(MatchRegexp(`^\d+\.\d+\.\d+\.\d+$`))
			none := createInstance(ctx, svc, instanceOn(env.Name("vm"), "default"))
			Expect(none.NetworkInterfaces[0].AccessConfigs).To(BeEmpty())
			withAddress := newInstance(env.Name("vm"))
			withAddress.NetworkInterfaces[0].AccessConfigs[0].NatIP = addr.Address
			reserved := createInstance(ctx, svc, withAddress)
			Expect(natIPs(reserved)).To(Equal([]string{addr.Address}))
			inUse := getAddress(ctx, svc, addr.Name)
			Expect(inUse.Status).To(Equal("IN_USE"))
			Expect(inUse.Users).To(Equal([]string{reserved.SelfLink}))

			By("deleting the three instances")
			for _, name := range []string{ephemeral.Name, none.Name, reserved.Name} {
				deleteInstance(ctx, svc, env.Zone, name)
			}
			released := getAddress(ctx, svc, addr.Name)
			Expect(released.Status).To(Equal("RESERVED"))
			Expect(released.Users).To(BeEmpty())
			if reachesOpenStack() {
				By("checking that the ephemeral floating IP is gone and the reserved one is kept")
				fips := openStackNames(ctx, "floatingips")
				Expect(fips).To(ContainElement(addr.Address))
				Expect(fips).NotTo(ContainElement(natIPs(ephemeral)[0]))
			}
			// NOTE: only the fake's inventory belongs to this process alone,
			// so only there can the spec require that no other object was
			// left, whatever its kind.
			if env.Fake != nil {
				Eventually(func() []string {
					leaked, _ := framework.InventoryDiff(selectKinds(before), selectKinds(env.Fake.Cloud.Inventory()), nil)
					return leaked
				}).WithContext(ctx).Should(ConsistOf("floatingips/"+addr.Address),
					"only the reserved address outlives the instances")
			}
		}, SpecTimeout(instanceTimeout))
	})

	Describe("not-found envelope", Label("compute.instances.get", "compute.instances.delete",
		"compute.zoneOperations.get", "errors"), func() {
		It("returns the exact 404 for an unknown instance", func(ctx SpecContext) {
			message := fmt.Sprintf("The resource 'projects/%s/zones/%s/instances/nope' was not found",
				env.Project, env.Zone)
			url := env.URL(fmt.Sprintf("projects/%s/zones/%s/instances/nope", env.Project, env.Zone))
			for _, method := range []string{http.MethodGet, http.MethodDelete} {
				resp, err := env.Do(ctx, method, url, nil, true)
				Expect(err).NotTo(HaveOccurred())
				expectEnvelope(resp, http.StatusNotFound, "notFound")
				envelope, err := framework.ParseEnvelope(resp.Body)
				Expect(err).NotTo(HaveOccurred())
				Expect(envelope.Error.Message).To(Equal(message), "%s", method)
				Expect(envelope.Error.Errors[0].Message).To(Equal(message), "%s", method)
			}

			_, getErr := svc.Instances.Get(env.Project, env.Zone, "nope").Context(ctx).Do()
			_, deleteErr := svc.Instances.Delete(env.Project, env.Zone, "nope").Context(ctx).Do()
			for _, err := range []error{getErr, deleteErr} {
				var apiErr *googleapi.Error
				Expect(errors.As(err, &apiErr)).To(BeTrue(), "error %v", err)
				Expect(apiErr.Code).To(Equal(http.StatusNotFound))
				Expect(apiErr.Errors).NotTo(BeEmpty())
				Expect(apiErr.Errors[0].Reason).To(Equal("notFound"))
				Expect(apiErr.Message).To(Equal(message))
			}

			_, err := svc.ZoneOperations.Get(env.Project, env.Zone, "operation-nope").Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})

		It("ends an insert with RESOURCE_NOT_FOUND when Nova loses the server", Label(framework.FakeOnlyLabel),
			func(ctx SpecContext) {
				env.FakeOnly("the spec makes Nova fail reads of the server through the fake's fault injection")
				nova := openStack(ctx).Compute
				// Nova returns 503 to reads of a single server until the spec
				// has deleted it, so the insert operation stays RUNNING.
				removeFault := env.Fake.Cloud.InjectFault(fakeos.Fault{Service: "compute", Method: http.MethodGet,
					Path: regexp.MustCompile(`^/v2\.1/servers/[0-9a-f-]+$`), Status: http.StatusServiceUnavailable})
				DeferCleanup(removeFault)
				inst := instanceOn(env.Name("vm"), "default")
				op := insertInstance(ctx, svc, inst)
				Expect(op.Status).NotTo(Equal("DONE"))

				id := novaServer(ctx, inst.Name).ID
				Expect(servers.Delete(ctx, nova, id).ExtractErr()).To(Succeed())
				eventuallyInOpenStack(ctx, func() []string { return openStackNames(ctx, "servers") }).
					ShouldNot(ContainElement(inst.Name))
				removeFault()

				done, err := framework.Wait(ctx, svc, op)
				var opErr *framework.OperationError
				Expect(errors.As(err, &opErr)).To(BeTrue(), "wait returned %v", err)
				Expect(done.Status).To(Equal("DONE"))
				Expect(done.Error.Errors[0].Code).To(Equal("RESOURCE_NOT_FOUND"))
				Expect(done.HttpErrorStatusCode).To(Equal(int64(http.StatusNotFound)))
			}, SpecTimeout(instanceTimeout))
	})

	Describe("instance status transitions", Label("compute.instances.insert", "compute.instances.get",
		"instances"), func() {
		It("moves forward from PROVISIONING to RUNNING", func(ctx SpecContext) {
			inst := instanceOn(env.Name("vm"), "default")
			insertInstance(ctx, svc, inst)
			var seen []string
			Eventually(func() string {
				got, err := svc.Instances.Get(env.Project, env.Zone, inst.Name).Context(ctx).Do()
				Expect(err).NotTo(HaveOccurred())
				if len(seen) == 0 || seen[len(seen)-1] != got.Status {
					seen = append(seen, got.Status)
				}
				return got.Status
			}).WithContext(ctx).WithPolling(10 * time.Millisecond).Should(Equal("RUNNING"))
			Expect(isSubsequence(seen, []string{"PROVISIONING", "STAGING", "RUNNING"})).To(BeTrue(),
				"sampled statuses %v", seen)
		}, SpecTimeout(instanceTimeout))

		It("moves from RUNNING through STOPPING to TERMINATED and back", Label("compute.instances.stop",
			"compute.instances.start"), func(ctx SpecContext) {
			_, err := svc.Instances.Stop(env.Project, env.Zone, env.Name("missing")).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotImplemented, "notImplemented"),
				"instances.stop is served now: sample RUNNING -> STOPPING -> TERMINATED here")
			Skip("the server answers instances.stop and instances.start with 501 notImplemented, " +
				"so no stop or start sequence can be sampled")
		})
	})
})

// listPage is one page of a raw list response.
type listPage struct {
	names    []string
	token    string
	hasToken bool
}

// networkPages follows the pages of networks.list for filter with
// maxResults size, failing the spec if a token repeats or more than 20
// pages come back.
func networkPages(ctx context.Context, filter string, size int) []listPage {
	var pages []listPage
	seen := map[string]bool{}
	token := ""
	for len(pages) < 20 {
		query := url.Values{"filter": {filter}, "maxResults": {fmt.Sprint(size)}}
		if token != "" {
			query.Set("pageToken", token)
		}
		status, body := rawGet(ctx, "projects/"+env.Project+"/global/networks?"+query.Encode())
		Expect(status).To(Equal(http.StatusOK), "body: %v", body)
		page := listPage{}
		page.token, page.hasToken = body["nextPageToken"].(string)
		items, _ := body["items"].([]any)
		for _, item := range items {
			page.names = append(page.names, item.(map[string]any)["name"].(string))
		}
		pages = append(pages, page)
		if !page.hasToken || page.token == "" {
			return pages
		}
		Expect(seen[page.token]).To(BeFalse(), "nextPageToken %q repeats", page.token)
		seen[page.token] = true
		token = page.token
	}
	Fail(fmt.Sprintf("networks.list with maxResults=%d returned more than 20 pages", size))
	return nil
}

// endpointClient returns a compute/v1 client for endpoint that sends the
// target's token and appends the path of every request to paths.
func endpointClient(ctx context.Context, endpoint string, paths *[]string) *compute.Service {
	client := &http.Client{Transport: pathRecorder{paths: paths}}
	svc, err := compute.NewService(ctx, option.WithEndpoint(endpoint),
		option.WithoutAuthentication(), option.WithHTTPClient(client))
	Expect(err).NotTo(HaveOccurred())
	return svc
}

// pathRecorder adds the bearer token to a request and records its path.
type pathRecorder struct{ paths *[]string }

func (p pathRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	*p.paths = append(*p.paths, req.URL.Path)
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+env.Token)
	return env.Recorder.RoundTrip(req)
}

// isSubsequence reports whether every element of seen appears in path, in
// path's order.
func isSubsequence(seen, path []string) bool {
	i := 0
	for _, s := range seen {
		for i < len(path) && path[i] != s {
			i++
		}
		if i == len(path) {
			return false
		}
	}
	return true
}
