package conformance_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

// gcloudTimeout bounds one gcloud command, which spends seconds starting.
const gcloudTimeout = 3 * time.Minute

// Ordered: the specs create, read and delete one instance in turn.
var _ = Describe("gcloud", Label("gcloud"), Ordered, func() {
	var environ []string
	var name string

	BeforeAll(func(ctx SpecContext) {
		if _, err := exec.LookPath("gcloud"); err != nil {
			Skip("needs the gcloud command of the Google Cloud SDK on PATH")
		}
		environ = gcloudEnviron(GinkgoT().TempDir())
		name = env.Name("gcloud")
		DeferCleanup(deleteInstance, newService(ctx), env.Zone, name, NodeTimeout(instanceTimeout))
	})

	// gcloud runs "gcloud compute ARGS...", expects exit code 0 and returns
	// standard output.
	gcloud := func(args ...string) string {
		cmd := exec.Command("gcloud", append([]string{"compute"}, args...)...)
		cmd.Env = environ
		session, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		Eventually(session).WithTimeout(gcloudTimeout).Should(gexec.Exit(0),
			"gcloud compute %s failed:\n%s", strings.Join(args, " "), session.Err.Contents())
		return string(session.Out.Contents())
	}

	It("lists zones", Label("compute.zones.list"), func() {
		Expect(gcloud("zones", "list")).To(ContainSubstring(env.Zone))
	})

	It("lists machine types of every zone", Label("compute.machineTypes.aggregatedList"), func() {
		Expect(gcloud("machine-types", "list")).To(ContainSubstring(env.MachineType))
	})

	It("lists images through a batch request", Label("compute.images.list", "batch"), func() {
		Expect(gcloud("images", "list")).To(ContainSubstring(env.ImageFamily))
	})

	It("creates an instance with the default flags",
		Label("compute.instances.insert", "compute.zones.get", "compute.projects.get"), func() {
			args := []string{"instances", "create", name, "--zone", env.Zone}
			if !env.Seeded {
				// gcloud's defaults are n1-standard-1 and debian-cloud's
				// debian-12 family, which only the seed data promises.
				args = append(args, "--machine-type", env.MachineType,
					"--image-project", env.ImageProject, "--image-family", env.ImageFamily)
			}
			out := gcloud(args...)
			Expect(out).To(ContainSubstring(name))
			Expect(out).To(ContainSubstring("RUNNING"))
		})

	It("lists the instance", Label("compute.instances.aggregatedList"), func() {
		out := gcloud("instances", "list")
		Expect(out).To(ContainSubstring(name))
		Expect(out).To(ContainSubstring("RUNNING"))
	})

	It("describes the instance", Label("compute.instances.get"), func() {
		out := gcloud("instances", "describe", name, "--zone", env.Zone)
		Expect(out).To(ContainSubstring("name: " + name))
		Expect(out).To(ContainSubstring("status: RUNNING"))
	})

	It("lists the zone's operations", Label("compute.zoneOperations.list"), func() {
		// Plain "operations list" reads aggregated/operations
		// (compute.globalOperations.aggregatedList), which the server
		// declares notImplemented, so the spec names the zone.
		Expect(gcloud("operations", "list", "--zones", env.Zone)).To(ContainSubstring(name))
	})

	It("deletes the instance", Label("compute.instances.delete"), func(ctx SpecContext) {
		gcloud("instances", "delete", name, "--zone", env.Zone, "--quiet")
		_, err := newService(ctx).Instances.Get(env.Project, env.Zone, name).Context(ctx).Do()
		Expect(isNotFound(err)).To(BeTrue(), "get after delete returned %v", err)
	}, SpecTimeout(instanceTimeout))
})

// gcloudEnviron returns the process environment without CLOUDSDK_ settings,
// plus settings that point gcloud at the target with a config directory,
// a token file and no prompts, metadata-server probes or usage reports.
func gcloudEnviron(dir string) []string {
	tokenFile := filepath.Join(dir, "token")
	Expect(os.WriteFile(tokenFile, []byte(env.Token), 0o600)).To(Succeed())
	var environ []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CLOUDSDK_") {
			environ = append(environ, kv)
		}
	}
	return append(environ,
		"CLOUDSDK_CONFIG="+filepath.Join(dir, "config"),
		"CLOUDSDK_CORE_PROJECT="+env.Project,
		"CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE="+env.Endpoint,
		"CLOUDSDK_AUTH_ACCESS_TOKEN_FILE="+tokenFile,
		"CLOUDSDK_CORE_CHECK_GCE_METADATA=false",
		"CLOUDSDK_CORE_DISABLE_USAGE_REPORTING=true",
		"CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK=true",
		"CLOUDSDK_SURVEY_DISABLE_PROMPTS=true",
		"CLOUDSDK_CORE_DISABLE_PROMPTS=1",
	)
}
