package compute

import (
	"net/netip"
	"slices"
	"testing"

	compute "google.golang.org/api/compute/v1"
)

func TestFirewallRulesRoundTrip(t *testing.T) {
	allowed := []*compute.FirewallAllowed{
		{IPProtocol: "UDP", Ports: []string{"50000-51000", "30000", "30000"}},
		{IPProtocol: "icmp"},
		{IPProtocol: "all"},
	}
	ranges := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::/0")}
	rules, protocols, err := firewallRules(allowed, ranges, "INGRESS")
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 8 {
		t.Errorf("got %d rules, want 8 (2 ranges x (2 udp ranges + icmp + all))", len(rules))
	}
	for _, r := range rules {
		if r.RemoteIPPrefix == "::/0" && r.EtherType != "IPv6" {
			t.Errorf("rule for ::/0 has ethertype %s", r.EtherType)
		}
	}
	view, viewRanges := allowedView(rules, "INGRESS", protocols)
	if !slices.Equal(viewRanges, []string{"10.0.0.0/8", "::/0"}) {
		t.Errorf("ranges = %v", viewRanges)
	}
	if len(view) != 3 || view[0].IPProtocol != "udp" || view[1].IPProtocol != "icmp" || view[2].IPProtocol != "all" {
		t.Fatalf("protocols = %v", view)
	}
	if !slices.Equal(view[0].Ports, []string{"30000", "50000-51000"}) {
		t.Errorf("udp ports = %v", view[0].Ports)
	}
	if view[1].Ports != nil {
		t.Errorf("icmp ports = %v, want none", view[1].Ports)
	}
}

func TestAllowedPortsRejects(t *testing.T) {
	for _, a := range []*compute.FirewallAllowed{
		{IPProtocol: "icmp", Ports: []string{"8"}},
		{IPProtocol: "tcp", Ports: []string{"0"}},
		{IPProtocol: "tcp", Ports: []string{"90-80"}},
		{IPProtocol: "tcp", Ports: []string{"65536"}},
		{IPProtocol: "gre2"},
		{IPProtocol: "256"},
	} {
		if _, err := allowedPorts(0, a); err == nil {
			t.Errorf("%s %v: no error", a.IPProtocol, a.Ports)
		}
	}
}

func TestParseLegacyGateway(t *testing.T) {
	cidr := netip.MustParsePrefix("10.241.0.0/16")
	if gw, _ := parseLegacyGateway(cidr, ""); gw.String() != "10.241.0.1" {
		t.Errorf("default gateway = %s", gw)
	}
	for _, bad := range []string{"10.241.0.0", "10.241.255.255", "10.1.0.1", "x"} {
		if _, err := parseLegacyGateway(cidr, bad); err == nil {
			t.Errorf("gateway %s: no error", bad)
		}
	}
}
