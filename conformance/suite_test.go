package conformance_test

import (
	"flag"
	"testing"
	"time"

	"github.com/gce-api/gce-api/conformance/framework"
	"github.com/gce-api/gce-api/fixtures"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var targetFlag = flag.String("target", "",
	"target to certify: fake (default), openstack or external; overrides GCE_API_TARGET")

// env is the deployment under test and this Ginkgo process's clients to it.
var env *framework.Env

func TestConformance(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Compute Engine API conformance")
}

var _ = SynchronizedBeforeSuite(func(ctx SpecContext) []byte {
	target, err := framework.ResolveTarget(*targetFlag)
	Expect(err).NotTo(HaveOccurred())
	data, err := framework.Setup(ctx, target)
	Expect(err).NotTo(HaveOccurred())
	return data
}, func(ctx SpecContext, data []byte) {
	var err error
	suite, _ := GinkgoConfiguration()
	env, err = framework.Connect(ctx, data, GinkgoParallelProcess(), suite.ParallelTotal)
	Expect(err).NotTo(HaveOccurred())
}, NodeTimeout(20*time.Minute))

var _ = SynchronizedAfterSuite(func(ctx SpecContext) {
	if env != nil {
		Expect(env.Close(ctx)).To(Succeed())
	}
}, func(ctx SpecContext) {
	Expect(framework.Teardown(ctx)).To(Succeed())
}, NodeTimeout(10*time.Minute))

var _ = BeforeEach(func() {
	env.Recorder.Reset()
})

// Show the last HTTP exchanges of a failed spec, before its cleanup runs.
var _ = AfterEach(func() {
	if CurrentSpecReport().Failed() {
		AddReportEntry("last HTTP exchanges", env.Recorder.Dump(),
			ReportEntryVisibilityFailureOrVerbose)
	}
})

var _ = ReportAfterSuite("support matrix", func(report Report) {
	results := framework.Tally(report, fixtures.Matrix())
	Expect(framework.WriteReports(framework.ResultsDir(), report, results)).To(Succeed())

	By("checking that every support-matrix method has a behaviour spec")
	policy, err := framework.CoveragePolicy()
	Expect(err).NotTo(HaveOccurred())
	warning, err := framework.CheckCoverage(results, policy)
	if warning != "" {
		GinkgoWriter.Println("WARNING:", warning)
		AddReportEntry("uncovered methods", warning)
	}
	Expect(err).NotTo(HaveOccurred())
})
