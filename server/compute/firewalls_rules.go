package compute

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
)

// firewallProtocols are the IPProtocol names Neutron accepts as they are.
// "all" becomes a rule with no protocol.
var firewallProtocols = map[string]bool{"tcp": true, "udp": true, "icmp": true,
	"sctp": true, "esp": true, "ah": true, "all": true}

// portProtocols are the protocols whose rules may name ports, by name and
// by IANA number.
var portProtocols = map[string]bool{"tcp": true, "udp": true, "sctp": true,
	"6": true, "17": true, "132": true}

// checkFirewallSupported rejects the firewall fields security groups cannot
// express.
func checkFirewallSupported(fw *compute.Firewall) error {
	switch {
	case len(fw.Denied) > 0:
		return gce.Invalid("Firewalls with denied rules are not supported: OpenStack " +
			"security groups can only allow traffic. Use allowed rules.")
	case len(fw.SourceTags) > 0:
		return gce.Invalid("Firewalls with sourceTags are not supported: instance tags " +
			"can change after the firewall is made, so a security group that stands for a " +
			"tag would not keep exact membership. Use sourceRanges.")
	case len(fw.SourceServiceAccounts) > 0 || len(fw.TargetServiceAccounts) > 0:
		return gce.Invalid("Firewalls with service accounts are not supported. " +
			"Use sourceRanges and targetTags.")
	case len(fw.Allowed) == 0:
		return gce.Required("resource.allowed")
	}
	return nil
}

// firewallRanges returns the remote prefixes of the rules: sourceRanges for
// INGRESS and destinationRanges for EGRESS, 0.0.0.0/0 when none is given.
func firewallRanges(fw *compute.Firewall, direction string) ([]netip.Prefix, error) {
	texts, field := fw.SourceRanges, "resource.sourceRanges"
	switch {
	case direction == "INGRESS" && len(fw.DestinationRanges) > 0:
		return nil, gce.Invalid("destinationRanges on an INGRESS firewall are not supported: " +
			"security group rules match only the remote address.")
	case direction == "EGRESS" && len(fw.SourceRanges) > 0:
		return nil, gce.InvalidField("resource.sourceRanges", fw.SourceRanges[0],
			"An EGRESS firewall takes destinationRanges.")
	case direction == "EGRESS":
		texts, field = fw.DestinationRanges, "resource.destinationRanges"
	}
	if len(texts) == 0 {
		texts = []string{"0.0.0.0/0"}
	}
	var out []netip.Prefix
	for _, text := range texts {
		p, err := parseRange(text)
		if err != nil {
			return nil, gce.InvalidField(field, text, "Must be an IP address or a range in CIDR notation.")
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// parseRange parses a CIDR range or a single address and masks it.
func parseRange(text string) (netip.Prefix, error) {
	if a, err := netip.ParseAddr(text); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(text)
	return p.Masked(), err
}

// portRange is an inclusive port range; 0, 0 means every port.
type portRange struct{ min, max int }

func (p portRange) String() string {
	if p.min == p.max {
		return strconv.Itoa(p.min)
	}
	return fmt.Sprintf("%d-%d", p.min, p.max)
}

// parsePorts parses "22" or "8080-8089" with ports from 1 to 65535.
func parsePorts(text string) (portRange, bool) {
	lo, hi, isRange := strings.Cut(text, "-")
	if !isRange {
		hi = lo
	}
	minPort, err1 := strconv.Atoi(lo)
	maxPort, err2 := strconv.Atoi(hi)
	ok := err1 == nil && err2 == nil && minPort >= 1 && maxPort <= 65535 && minPort <= maxPort
	return portRange{minPort, maxPort}, ok
}

// checkProtocol accepts a protocol name Neutron accepts or a number 0-255.
func checkProtocol(field, proto string) error {
	if firewallProtocols[proto] {
		return nil
	}
	if n, err := strconv.Atoi(proto); err == nil && n >= 0 && n <= 255 {
		return nil
	}
	return gce.InvalidField(field, proto,
		"Must be tcp, udp, icmp, sctp, esp, ah, all or a protocol number from 0 to 255.")
}

// allowedPorts validates one allowed entry and returns its port ranges,
// with one zero range when it covers every port.
func allowedPorts(i int, a *compute.FirewallAllowed) ([]portRange, error) {
	field := fmt.Sprintf("resource.allowed[%d].IPProtocol", i)
	if a.IPProtocol == "" {
		return nil, gce.Required(field)
	}
	if err := checkProtocol(field, a.IPProtocol); err != nil {
		return nil, err
	}
	if len(a.Ports) == 0 {
		return []portRange{{}}, nil
	}
	if !portProtocols[a.IPProtocol] {
		return nil, gce.InvalidField(fmt.Sprintf("resource.allowed[%d].ports", i), a.Ports[0],
			"Ports may be given only for tcp, udp and sctp.")
	}
	var out []portRange
	for _, text := range a.Ports {
		p, ok := parsePorts(text)
		if !ok {
			return nil, gce.InvalidField(fmt.Sprintf("resource.allowed[%d].ports", i), text,
				"Must be a port or a range such as 8080-8089, with ports from 1 to 65535.")
		}
		out = append(out, p)
	}
	return out, nil
}

// firewallRules expands allowed entries and ranges into one security group
// rule per range, protocol and port range, without duplicates. It also
// returns the protocols in the order the request gave them.
func firewallRules(allowed []*compute.FirewallAllowed, ranges []netip.Prefix, direction string) ([]openstack.SecurityGroupRule, []string, error) {
	var rules []openstack.SecurityGroupRule
	var protocols []string
	for i, a := range allowed {
		if a == nil {
			return nil, nil, gce.Required(fmt.Sprintf("resource.allowed[%d].IPProtocol", i))
		}
		a.IPProtocol = strings.ToLower(a.IPProtocol)
		ports, err := allowedPorts(i, a)
		if err != nil {
			return nil, nil, err
		}
		if !slices.Contains(protocols, a.IPProtocol) {
			protocols = append(protocols, a.IPProtocol)
		}
		for _, p := range ranges {
			for _, pr := range ports {
				rules = appendRule(rules, ruleFor(direction, p, a.IPProtocol, pr))
			}
		}
	}
	return rules, protocols, nil
}

func ruleFor(direction string, remote netip.Prefix, proto string, ports portRange) openstack.SecurityGroupRule {
	r := openstack.SecurityGroupRule{Direction: strings.ToLower(direction), EtherType: "IPv4",
		Protocol: proto, PortMin: ports.min, PortMax: ports.max, RemoteIPPrefix: remote.String()}
	if remote.Addr().Is6() {
		r.EtherType = "IPv6"
	}
	if proto == "all" {
		r.Protocol = ""
	}
	return r
}

func appendRule(rules []openstack.SecurityGroupRule, r openstack.SecurityGroupRule) []openstack.SecurityGroupRule {
	if slices.Contains(rules, r) {
		return rules
	}
	return append(rules, r)
}

// allowedView rebuilds allowed[] and the remote ranges from the rules of a
// security group in the given direction. Protocols come in the order of
// order, then alphabetically. Ranges and ports are sorted.
func allowedView(rules []openstack.SecurityGroupRule, direction string, order []string) ([]*compute.FirewallAllowed, []string) {
	ports := map[string][]portRange{}
	var ranges []string
	for _, r := range rules {
		if r.Direction != strings.ToLower(direction) || r.RemoteGroupID != "" {
			continue
		}
		proto := orText(r.Protocol, "all")
		ports[proto] = append(ports[proto], portRange{r.PortMin, r.PortMax})
		if r.RemoteIPPrefix != "" && !slices.Contains(ranges, r.RemoteIPPrefix) {
			ranges = append(ranges, r.RemoteIPPrefix)
		}
	}
	slices.Sort(ranges)
	var allowed []*compute.FirewallAllowed
	for _, proto := range protocolOrder(ports, order) {
		allowed = append(allowed, &compute.FirewallAllowed{IPProtocol: proto, Ports: portTexts(ports[proto])})
	}
	return allowed, ranges
}

func protocolOrder(ports map[string][]portRange, order []string) []string {
	var out []string
	for _, p := range order {
		if _, ok := ports[p]; ok {
			out = append(out, p)
		}
	}
	var rest []string
	for p := range ports {
		if !slices.Contains(out, p) {
			rest = append(rest, p)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// portTexts returns the sorted port ranges as text, or nil when one of them
// covers every port.
func portTexts(ranges []portRange) []string {
	if slices.Contains(ranges, portRange{}) {
		return nil
	}
	slices.SortFunc(ranges, func(a, b portRange) int {
		return cmp.Or(cmp.Compare(a.min, b.min), cmp.Compare(a.max, b.max))
	})
	ranges = slices.Compact(ranges)
	out := make([]string, 0, len(ranges))
	for _, r := range ranges {
		out = append(out, r.String())
	}
	return out
}
