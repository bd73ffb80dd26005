package query

import (
	"errors"
	"slices"
	"strings"
	"testing"

	compute "google.golang.org/api/compute/v1"
)

type filterCase struct {
	filter string
	want   []string
}

func runFilterCases[T any](t *testing.T, items []T, cases []filterCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.filter, func(t *testing.T) {
			f, err := ParseFilter(tc.filter)
			if err != nil {
				t.Fatalf("ParseFilter(%q): %v", tc.filter, err)
			}
			got := matchingNames(t, f, items)
			if !slices.Equal(got, tc.want) {
				t.Errorf("ParseFilter(%q) matches %v, want %v", tc.filter, got, tc.want)
			}
		})
	}
}

func TestFilterFieldReportCases(t *testing.T) {
	runFilterCases(t, instances(), []filterCase{
		{`name eq web`, []string{}},
		{`name eq web-.*`, []string{"web-1"}},
		{`labels.env = prod`, []string{"web-1"}},
		{`labels.env:*`, []string{"web-1"}},
	})
}

func TestFilterLegacyForm(t *testing.T) {
	runFilterCases(t, instances(), []filterCase{
		{`name eq "web-1"`, []string{"web-1"}},
		{`name eq 'web-1'`, []string{"web-1"}},
		{`name eq "web"`, []string{}},
		{`name eq "eb-1"`, []string{}},
		{`name ne "web-1"`, []string{"db-1"}},
		{`name ne ".*\bweb\b.*"`, []string{"db-1"}},
		{`name eq .*(^db).*`, []string{"db-1"}},
		{`status eq RUNNING`, []string{"web-1"}},
		{`status eq running`, []string{}},
		{`(name eq ".*-1")(status eq TERMINATED)`, []string{"db-1"}},
		{`(name eq ".*-1") (status eq TERMINATED)`, []string{"db-1"}},
		{`name eq ".*-1" status eq RUNNING`, []string{"web-1"}},
		{`((name eq web-1))`, []string{"web-1"}},
		{`zone eq ".*\bregionone\-a\b.*"`, []string{"web-1"}},
		{`zone eq regionone-a`, []string{}},
		{`scheduling.preemptible eq true`, []string{"web-1"}},
		{`networkInterfaces.networkIP eq 10\.0\.0\..*`, []string{"web-1", "db-1"}},
		{`networkInterfaces.networkIP eq 10\.0\.1\..*`, []string{"db-1"}},
		{`tags.items eq web`, []string{"web-1"}},
		{`labels.env eq pr.d`, []string{"web-1"}},
		{`id eq 1002`, []string{"db-1"}},
		{`cpuPlatform eq .*`, []string{}},
		{`cpuPlatform ne .*`, []string{"web-1", "db-1"}},
		{`labels eq .*`, []string{}},
	})
}

func TestFilterGcloudExpressions(t *testing.T) {
	runFilterCases(t, firewalls(), []filterCase{
		{`(name eq ".*\bfw2\b.*")(network eq ".*\bdefault\b.*")`, []string{"fw2"}},
		{`name ne ".*\bfw2\b.*"`, []string{"fw1", "fw3", "fw20"}},
		{`network eq ".*\bdefault\b.*"`, []string{"fw1", "fw2", "fw3"}},
		{`network eq ".*/default"`, []string{"fw1", "fw2"}},
		{`priority eq 1000`, []string{"fw1", "fw3", "fw20"}},
	})
	runFilterCases(t, networks(), []filterCase{
		{`autoCreateSubnetworks eq true`, []string{"default", "undefault"}},
		{`name eq ".*(^def).*"`, []string{"default"}},
	})
	runFilterCases(t, zones(), []filterCase{
		{`region eq ".*\bus\-central1\b.*"`, []string{"us-central1-a", "us-central1-b"}},
		{`status eq UP`, []string{"us-central1-a", "us-central10-a", "europe-west1-b"}},
	})
}

func TestFilterAIPForm(t *testing.T) {
	runFilterCases(t, instances(), []filterCase{
		{`name = web-1`, []string{"web-1"}},
		{`name = "web-1"`, []string{"web-1"}},
		{`name = web`, []string{}},
		{`name = web-.*`, []string{}},
		{`name != web-1`, []string{"db-1"}},
		{`name = web-*`, []string{"web-1"}},
		{`name = *-1`, []string{"web-1", "db-1"}},
		{`name = "w*1"`, []string{"web-1"}},
		{`name = "web-\*"`, []string{}},
		{`name:web-1`, []string{"web-1"}},
		{`name:*`, []string{"web-1", "db-1"}},
		{`labels.owner = prod`, []string{"db-1"}},
		{`labels:env`, []string{"web-1"}},
		{`labels:"owner"`, []string{"db-1"}},
		{`labels.env:\*`, []string{}},
		{`NOT labels.env:*`, []string{"db-1"}},
		{`-labels.env:*`, []string{"db-1"}},
		{`NOT(name = web-1)`, []string{"db-1"}},
		{`NOT NOT name = web-1`, []string{"web-1"}},
		{`status = RUNNING OR name = db-1`, []string{"web-1", "db-1"}},
		{`name = web-1 AND status = TERMINATED`, []string{}},
		{`name = web-1 AND status = RUNNING`, []string{"web-1"}},
		{`(name = web-1) (status = RUNNING)`, []string{"web-1"}},
		{`(name = db-1) (status = RUNNING)`, []string{}},
		{`name = web-1 status = RUNNING`, []string{"web-1"}},
		{`labels.env = prod OR labels.owner = prod`, []string{"web-1", "db-1"}},
		{`status = TERMINATED name = web-1 OR name = db-1`, []string{"db-1"}},
		{`(name = web-1 OR name = db-1) AND -status = RUNNING`, []string{"db-1"}},
		{`scheduling.preemptible = true`, []string{"web-1"}},
		{`scheduling.preemptible = false`, []string{}},
		{`networkInterfaces.networkIP = 10.0.0.3`, []string{"db-1"}},
		{`networkInterfaces.networkIP = 10.0.0.*`, []string{"web-1", "db-1"}},
		{`tags.items = web`, []string{"web-1"}},
		{`tags.items:db`, []string{"db-1"}},
		{`tags.items != web`, []string{"db-1"}},
		{`tags.items:*`, []string{"web-1", "db-1"}},
		{`cpuPlatform = x`, []string{}},
		{`cpuPlatform:*`, []string{}},
		{`cpuPlatform != x`, []string{"web-1", "db-1"}},
		{`id = 1001`, []string{"web-1"}},
		{`id = 1001.0`, []string{}},
		{`id > 1001`, []string{"db-1"}},
		{`id >= 1001`, []string{"web-1", "db-1"}},
		{`id < 1002`, []string{"web-1"}},
		{`id <= 999`, []string{}},
		{`creationTimestamp > "2024-01-01T00:00:00Z"`, []string{"web-1"}},
		{`creationTimestamp > 2024-01-01T03:59:59Z`, []string{"web-1"}},
		{`creationTimestamp < 2024-01-01T04:00:00+00:00`, []string{"db-1"}},
		{`creationTimestamp <= 2024-01-01T04:00:00Z`, []string{"web-1", "db-1"}},
		{`name > m`, []string{"web-1"}},
	})
}

func TestFilterNumbersByValue(t *testing.T) {
	runFilterCases(t, firewalls(), []filterCase{
		{`priority = 1000`, []string{"fw1", "fw3", "fw20"}},
		{`priority = 1000.0`, []string{"fw1", "fw3", "fw20"}},
		{`priority < 1000`, []string{"fw2"}},
		{`priority >= 950`, []string{"fw1", "fw3", "fw20"}},
		{`priority > -1`, []string{"fw1", "fw2", "fw3", "fw20"}},
		{`name = fw2*`, []string{"fw2", "fw20"}},
	})
}

func TestFilterEmptyMatchesAll(t *testing.T) {
	for _, expr := range []string{"", "  ", "\t"} {
		f, err := ParseFilter(expr)
		if err != nil {
			t.Fatalf("ParseFilter(%q): %v", expr, err)
		}
		if got := matchingNames(t, f, instances()); len(got) != 2 {
			t.Errorf("ParseFilter(%q) matches %v, want both instances", expr, got)
		}
	}
}

func TestFilterInvalid(t *testing.T) {
	cases := map[string]string{
		`(name eq web-.*) AND labels.env = prod`: "cannot be combined",
		`name eq web labels.env = prod`:          "cannot be combined",
		`(name eq web)(labels.env:*)`:            "cannot be combined",
		`name eq web OR name eq db`:              "cannot be combined",
		`NOT name eq web`:                        "cannot be combined",
		`-name eq web`:                           "cannot be combined",
		`name ~ web`:                             "unknown operator",
		`name !~ web`:                            "unknown operator",
		`name =~ web`:                            "unknown operator",
		`name == web`:                            "unknown operator",
		`name <> web`:                            "unknown operator",
		`name like web`:                          "unknown operator",
		`name`:                                   "missing operator",
		`web`:                                    "missing operator",
		`name = web-1 prod`:                      "missing operator",
		`(name = web`:                            "missing ')'",
		`name = web)`:                            "unexpected ')'",
		`((name eq web)`:                         "missing ')'",
		`name eq "("`:                            "invalid regular expression",
		`name eq "a)|(b"`:                        "invalid regular expression",
		`name eq "[z-a]"`:                        "invalid regular expression",
		`name =`:                                 "missing value",
		`name eq`:                                "missing value",
		`name eq `:                               "missing value",
		`(name =)`:                               "missing value",
		`name = "web`:                            "unterminated string",
		`labels..env = x`:                        "invalid field name",
		`labels.env. = x`:                        "invalid field name",
		`= x`:                                    "expected a field name",
		`AND`:                                    "unexpected AND",
		`name = a AND OR b = c`:                  "unexpected OR",
		`name = a AND`:                           "missing term",
		`name = a OR`:                            "missing term",
		`NOT`:                                    "missing term",
		`()`:                                     "expected a field name",
		"name = a*\xff":                          "not valid UTF-8",
		strings.Repeat("(", 100) + "a=b" + strings.Repeat(")", 100): "nested",
	}
	for expr, want := range cases {
		t.Run(expr, func(t *testing.T) {
			_, err := ParseFilter(expr)
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("ParseFilter(%q) error = %v, want *Error", expr, err)
			}
			if qe.Field != "filter" {
				t.Errorf("Field = %q, want filter", qe.Field)
			}
			if !strings.Contains(qe.Message, want) {
				t.Errorf("Message = %q, want it to contain %q", qe.Message, want)
			}
			if !strings.HasPrefix(qe.Message, "Invalid value for field 'filter': ") {
				t.Errorf("Message = %q, want the Compute Engine prefix", qe.Message)
			}
		})
	}
}

func TestFilterLargeIdsExact(t *testing.T) {
	disks := []*compute.Disk{
		{Name: "d1", Id: 6723884934859845123},
		{Name: "d2", Id: 6723884934859845124},
	}
	runFilterCases(t, disks, []filterCase{
		{`id > 6723884934859845123`, []string{"d2"}},
		{`id <= 6723884934859845123`, []string{"d1"}},
		{`id = 6723884934859845124`, []string{"d2"}},
	})
}
