package framework

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gce-api/gce-api/fixtures"
	"github.com/onsi/ginkgo/v2/types"
)

// MatrixLabel marks the matrix table's own entries, which do not count as
// behaviour specs for coverage.
const MatrixLabel = "matrix"

// MethodResult counts the specs labelled with one matrix method id.
type MethodResult struct {
	fixtures.MatrixRow
	Run     int // specs that ran: Passed + Failed
	Passed  int
	Failed  int // failed, panicked, interrupted or timed out
	Skipped int // skipped or pending
	// Exceptions counts the skipped specs that were real-cloud exceptions
	// or fake-only specs (see Env.RealCloudException and Env.FakeOnly).
	// Skipped includes them.
	Exceptions int
	// Behaviour counts the specs other than the matrix entry that carry the
	// method id, in any state, so it measures coverage and not results.
	Behaviour int
}

// Tally counts, for each matrix row, the It specs in report that carry the
// row's method id as a Label.
func Tally(report types.Report, rows []fixtures.MatrixRow) []MethodResult {
	results := make([]MethodResult, len(rows))
	index := make(map[string]int, len(rows))
	for i, row := range rows {
		results[i].MatrixRow = row
		index[row.MethodID] = i
	}
	for _, spec := range report.SpecReports {
		if spec.LeafNodeType != types.NodeTypeIt {
			continue
		}
		for _, label := range spec.Labels() {
			if i, ok := index[label]; ok {
				results[i].count(spec)
			}
		}
	}
	return results
}

func (r *MethodResult) count(spec types.SpecReport) {
	if !slices.Contains(spec.Labels(), MatrixLabel) {
		r.Behaviour++
	}
	switch {
	case spec.State == types.SpecStatePassed:
		r.Passed++
	case spec.State.Is(types.SpecStateFailureStates):
		r.Failed++
	default:
		r.Skipped++
	}
	if _, _, ok := exceptionReason(spec); ok {
		r.Exceptions++
	}
	r.Run = r.Passed + r.Failed
}

// Coverage policies, chosen by GCE_API_ALLOW_UNCOVERED.
const (
	// CoverageDefault fails for an implemented method with no behaviour spec
	// and warns for a notImplemented one, which the matrix entry's 501
	// check covers.
	CoverageDefault = ""
	// CoverageAllowAll ("1") only warns.
	CoverageAllowAll = "1"
	// CoverageStrict ("0") fails for any method with no behaviour spec.
	CoverageStrict = "0"
)

// CheckCoverage lists the methods with no behaviour spec. It returns the
// ones the policy tolerates as a warning and the others as an error.
func CheckCoverage(results []MethodResult, policy string) (warning string, err error) {
	var fatal, tolerated []string
	for _, r := range results {
		if r.Behaviour > 0 {
			continue
		}
		line := fmt.Sprintf("%s (%s)", r.MethodID, r.Status)
		if policy == CoverageAllowAll || (policy != CoverageStrict && !r.Implemented()) {
			tolerated = append(tolerated, line)
		} else {
			fatal = append(fatal, line)
		}
	}
	if len(tolerated) > 0 {
		warning = uncoveredMessage(tolerated)
	}
	if len(fatal) > 0 {
		err = fmt.Errorf("%s\nWrite a spec labelled with each method id, or set "+
			"GCE_API_ALLOW_UNCOVERED=1 to report them as a warning", uncoveredMessage(fatal))
	}
	return warning, err
}

func uncoveredMessage(lines []string) string {
	return fmt.Sprintf("%d support-matrix method(s) have no spec beyond the matrix entry:\n  %s",
		len(lines), strings.Join(lines, "\n  "))
}
