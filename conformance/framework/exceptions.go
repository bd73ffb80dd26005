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

// FakeOnlyLabel marks a spec that needs the in-memory OpenStack itself, for
// example to inject a fault or to compare its whole inventory. Such a spec
// calls Env.FakeOnly first.
const FakeOnlyLabel = "fake-only"

// FakeOnlyEntry is the name of the report entry that carries the reason of
// a fake-only spec.
const FakeOnlyEntry = "fake-only"

// exceptionKind is a kind of labelled skip: a spec that carries Label skips
// on every target except fake and records its reason as the report entry
// Entry.
type exceptionKind struct {
	Label string
	Entry string
	Title string // heading of the kind's section in the reports
	Noun  string // "a real-cloud exception", for the reports' "None" line
}

var (
	realCloudExceptionKind = exceptionKind{Label: RealCloudExceptionLabel,
		Entry: RealCloudExceptionEntry, Title: "Real-cloud exceptions", Noun: "a real-cloud exception"}
	fakeOnlyKind = exceptionKind{Label: FakeOnlyLabel,
		Entry: FakeOnlyEntry, Title: "Fake-only specs", Noun: "a fake-only spec"}
)

// exceptionKinds are the kinds of labelled skip, in the order that the
// reports list them.
var exceptionKinds = []exceptionKind{realCloudExceptionKind, fakeOnlyKind}

// RealCloudException skips the running spec on every target except fake,
// with the message "real-cloud exception: " + reason, and records reason
// as the report entry RealCloudExceptionEntry. On the fake target it does
// nothing, so the spec runs. It fails the spec when the spec lacks
// RealCloudExceptionLabel, so that label filters find every exception.
func (e *Env) RealCloudException(reason string) {
	ginkgo.GinkgoHelper()
	e.skipUnlessFake(realCloudExceptionKind, reason)
}

// FakeOnly skips the running spec on every target except fake, with the
// message "fake-only: " + reason, and records reason as the report entry
// FakeOnlyEntry. On the fake target it does nothing, so the spec runs. It
// fails the spec when the spec lacks FakeOnlyLabel.
func (e *Env) FakeOnly(reason string) {
	ginkgo.GinkgoHelper()
	e.skipUnlessFake(fakeOnlyKind, reason)
}

func (e *Env) skipUnlessFake(kind exceptionKind, reason string) {
	ginkgo.GinkgoHelper()
	spec := ginkgo.CurrentSpecReport()
	if !slices.Contains(spec.Labels(), kind.Label) {
		ginkgo.Fail("a spec that skips as " + kind.Noun + " needs Label(\"" + kind.Label + "\")")
	}
	if e.Target == TargetFake {
		return
	}
	ginkgo.AddReportEntry(kind.Entry, reason)
	ginkgo.Skip(kind.Entry + ": " + reason)
}

// ExceptionReport is a spec that a run skipped as a real-cloud exception or
// as a fake-only spec.
type ExceptionReport struct {
	Spec   string // the spec's full text
	Kind   string // the report entry: RealCloudExceptionEntry or FakeOnlyEntry
	Reason string
}

// Exceptions returns the specs of report that were skipped as real-cloud
// exceptions or as fake-only specs, in report order.
func Exceptions(report types.Report) []ExceptionReport {
	var found []ExceptionReport
	for _, spec := range report.SpecReports {
		if kind, reason, ok := exceptionReason(spec); ok {
			found = append(found, ExceptionReport{Spec: spec.FullText(), Kind: kind, Reason: reason})
		}
	}
	return found
}

// exceptionReason returns the report entry name and the reason of spec's
// labelled skip, if the spec was skipped as one.
func exceptionReason(spec types.SpecReport) (kind, reason string, ok bool) {
	if spec.State != types.SpecStateSkipped {
		return "", "", false
	}
	for _, entry := range spec.ReportEntries {
		for _, k := range exceptionKinds {
			if entry.Name == k.Entry {
				return k.Entry, entry.StringRepresentation(), true
			}
		}
	}
	return "", "", false
}
