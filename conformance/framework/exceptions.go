package framework

import (
	"slices"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// RealCloudExceptionLabel marks a spec that cannot pass on a real cloud
// for a reason of the cloud, not of the server. Such a spec calls
// Env.RealCloudException first.
const RealCloudExceptionLabel = "real-cloud-exception"

// RealCloudExceptionEntry is the name of the report entry that carries the
// reason of a real-cloud exception.
const RealCloudExceptionEntry = "real-cloud exception"

// RealCloudException skips the running spec on every target except fake,
// with the message "real-cloud exception: " + reason, and records reason
// as the report entry RealCloudExceptionEntry. On the fake target it does
// nothing, so the spec runs. It fails the spec when the spec lacks
// RealCloudExceptionLabel, so that label filters find every exception.
func (e *Env) RealCloudException(reason string) {
	ginkgo.GinkgoHelper()
	spec := ginkgo.CurrentSpecReport()
	if !slices.Contains(spec.Labels(), RealCloudExceptionLabel) {
		ginkgo.Fail("a spec that calls RealCloudException needs Label(\"" +
			RealCloudExceptionLabel + "\")")
	}
	if e.Target == TargetFake {
		return
	}
	ginkgo.AddReportEntry(RealCloudExceptionEntry, reason)
	ginkgo.Skip("real-cloud exception: " + reason)
}

// RealCloudExceptionReport is a spec that a run skipped as a real-cloud
// exception.
type RealCloudExceptionReport struct {
	Spec   string // the spec's full text
	Reason string
}

// RealCloudExceptions returns the specs of report that were skipped as
// real-cloud exceptions, in report order.
func RealCloudExceptions(report types.Report) []RealCloudExceptionReport {
	var found []RealCloudExceptionReport
	for _, spec := range report.SpecReports {
		if reason, ok := realCloudExceptionReason(spec); ok {
			found = append(found, RealCloudExceptionReport{Spec: spec.FullText(), Reason: reason})
		}
	}
	return found
}

// realCloudExceptionReason returns the reason of spec's real-cloud
// exception, if the spec was skipped as one.
func realCloudExceptionReason(spec types.SpecReport) (string, bool) {
	if spec.State != types.SpecStateSkipped {
		return "", false
	}
	for _, entry := range spec.ReportEntries {
		if entry.Name == RealCloudExceptionEntry {
			return entry.StringRepresentation(), true
		}
	}
	return "", false
}
