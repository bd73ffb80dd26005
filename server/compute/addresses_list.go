package compute

import (
	"context"
	"encoding/json"
	"errors"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/store"
)

func addressView(r *Request, region string, rec store.Resource, fip openstack.FloatingIP, users []string) *compute.Address {
	var d addressData
	if len(rec.Data) > 0 {
		json.Unmarshal(rec.Data, &d)
	}
	status := "RESERVED"
	if fip.PortID != "" {
		status = "IN_USE"
	}
	return &compute.Address{
		Kind: "compute#address", Id: gce.ID(fip.ID), Name: rec.Name, Description: d.Description,
		Address: fip.Address, AddressType: "EXTERNAL", Status: status, Users: users,
		NetworkTier: "PREMIUM", CreationTimestamp: gce.Timestamp(rec.CreatedAt),
		Region:   r.Links.Region(r.Project(), region),
		SelfLink: r.Links.Region(r.Project(), region, "addresses", rec.Name),
	}
}

// addressUsers maps the id of each floating IP that is associated with a
// port to the URL of the instance that owns the port, found through the
// port's device_id and the store's instance records. Ports of servers made
// outside this API have no user.
func (s *Service) addressUsers(ctx context.Context, r *Request, fips []openstack.FloatingIP) (map[string][]string, error) {
	devices, err := portDevices(ctx, r.Session, fips)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, f := range fips {
		device := devices[f.PortID]
		if device == "" {
			continue
		}
		rec, err := s.Store.ResourceByOpenStackID(ctx, r.Project(), "instances", device)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[f.ID] = []string{r.Links.Scoped(r.Project(), rec.Scope, "instances", rec.Name)}
	}
	return out, nil
}

// portDevices maps the ids of the ports the floating IPs are associated
// with to the ids of the devices (servers) that own them.
func portDevices(ctx context.Context, sess *openstack.Session, fips []openstack.FloatingIP) (map[string]string, error) {
	out := map[string]string{}
	var wanted []string
	for _, f := range fips {
		if f.PortID != "" {
			wanted = append(wanted, f.PortID)
		}
	}
	if len(wanted) == 1 {
		p, err := sess.Port(ctx, wanted[0])
		if errors.Is(err, openstack.ErrNotFound) {
			return out, nil
		}
		out[p.ID] = p.DeviceID
		return out, err
	}
	if len(wanted) == 0 {
		return out, nil
	}
	ports, err := sess.Ports(ctx, openstack.PortFilter{})
	for _, p := range ports {
		out[p.ID] = p.DeviceID
	}
	return out, err
}

// addressesByRegion builds the views of every address of the project,
// grouped by region name. Floating IPs with no address record, such as the
// ephemeral IPs of access configs, are not addresses.
func (s *Service) addressesByRegion(ctx context.Context, r *Request) (map[string][]*compute.Address, error) {
	records, err := s.Store.Resources(ctx, r.Project(), "", "addresses")
	if err != nil {
		return nil, err
	}
	fips, err := r.Session.FloatingIPs(ctx, openstack.FloatingIPFilter{})
	if err != nil {
		return nil, apiError(err, "")
	}
	byID := map[string]openstack.FloatingIP{}
	for _, f := range fips {
		byID[f.ID] = f
	}
	users, err := s.addressUsers(ctx, r, fips)
	if err != nil {
		return nil, apiError(err, "")
	}
	out := map[string][]*compute.Address{}
	for _, rec := range records {
		fip, ok := byID[rec.OpenStackID]
		if !ok {
			continue
		}
		region := rec.Scope[len("regions/"):]
		out[region] = append(out[region], addressView(r, region, rec, fip, users[fip.ID]))
	}
	return out, nil
}

func (s *Service) listAddresses(ctx context.Context, r *Request) Response {
	reg, err := s.requireRegion(ctx, r)
	if err != nil {
		return Fail(err)
	}
	region := regionName(reg.ID)
	byRegion, err := s.addressesByRegion(ctx, r)
	if err != nil {
		return Fail(err)
	}
	return listResponse(r, byRegion[region], func(page []*compute.Address, next string) any {
		return &compute.AddressList{Kind: "compute#addressList",
			Id:    "projects/" + r.Project() + "/regions/" + region + "/addresses",
			Items: page, NextPageToken: next,
			SelfLink: r.Links.Region(r.Project(), region, "addresses")}
	})
}

// aggregatedAddresses lists addresses under every region key and under
// "global", which stays empty because global addresses are not supported.
func (s *Service) aggregatedAddresses(ctx context.Context, r *Request) Response {
	regions, err := s.regions(ctx, r.Session)
	if err != nil {
		return Fail(apiError(err, ""))
	}
	byRegion, err := s.addressesByRegion(ctx, r)
	if err != nil {
		return Fail(err)
	}
	scopes := map[string][]*compute.Address{"global": nil}
	for _, reg := range regions {
		name := regionName(reg.ID)
		scopes["regions/"+name] = byRegion[name]
	}
	return aggregatedResponse(r, scopes, func(page map[string][]*compute.Address, next string) any {
		return addressAggregatedList(r, page, next)
	})
}

func addressAggregatedList(r *Request, page map[string][]*compute.Address, next string) *compute.AddressAggregatedList {
	out := &compute.AddressAggregatedList{Kind: "compute#addressAggregatedList",
		Id: "projects/" + r.Project() + "/aggregated/addresses", NextPageToken: next,
		SelfLink: r.Links.Project(r.Project()) + "/aggregated/addresses",
		Items:    map[string]compute.AddressesScopedList{}}
	for scope, items := range page {
		list := compute.AddressesScopedList{Addresses: items}
		if len(items) == 0 {
			w := noResults(scope)
			list.Warning = &compute.AddressesScopedListWarning{Code: w.Code, Message: w.Message,
				Data: []*compute.AddressesScopedListWarningData{{Key: "scope", Value: scope}}}
		}
		out.Items[scope] = list
	}
	return out
}
