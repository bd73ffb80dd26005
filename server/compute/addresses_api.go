package compute

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/operations"
	"github.com/gce-api/gce-api/server/store"
)

// addressData is the store's record of an address beyond the floating IP.
type addressData struct {
	Description string `json:"description,omitempty"`
}

func addressPath(r *Request, region, name string) string {
	return "projects/" + r.Project() + "/regions/" + region + "/addresses/" + name
}

func (s *Service) insertAddress(ctx context.Context, r *Request) Response {
	reg, err := s.requireRegion(ctx, r)
	if err != nil {
		return Fail(err)
	}
	var body compute.Address
	if err := decodeBody(r.Body, &body); err != nil {
		return Fail(err)
	}
	if err := checkAddressBody(&body); err != nil {
		return Fail(err)
	}
	region := regionName(reg.ID)
	rec, err := s.createAddress(ctx, r, region, &body)
	if err != nil {
		return Fail(err)
	}
	op := &operations.Record{Project: r.Project(), Scope: "regions/" + region, Type: "insert",
		Kind: "addresses", Target: rec.Name, TargetID: rec.OpenStackID, User: r.Session.UserName}
	if err := s.Ops.Create(ctx, op); err != nil {
		return Fail(err)
	}
	return OK(op.View(r.Links))
}

func checkAddressBody(body *compute.Address) error {
	if err := gce.CheckName("resource.name", body.Name); err != nil {
		return err
	}
	if err := checkDescription("resource.description", body.Description); err != nil {
		return err
	}
	if err := checkLabels(body.Labels); err != nil {
		return err
	}
	if err := checkIPv4("resource.address", body.Address); err != nil {
		return err
	}
	if body.AddressType != "" && body.AddressType != "EXTERNAL" {
		return gce.InvalidField("resource.addressType", body.AddressType,
			"Only EXTERNAL addresses (floating IPs) are supported.")
	}
	if body.IpVersion != "" && body.IpVersion != "IPV4" {
		return gce.InvalidField("resource.ipVersion", body.IpVersion, "Only IPV4 addresses are supported.")
	}
	return nil
}

// checkIPv4 accepts an empty field, which lets Neutron choose the
// address, or an IPv4 address.
func checkIPv4(field, text string) error {
	if text == "" {
		return nil
	}
	a, err := netip.ParseAddr(text)
	if err != nil || !a.Is4() {
		return gce.InvalidField(field, text, "Must be an IPv4 address such as 203.0.113.7.")
	}
	return nil
}

// createAddress reserves the name, then allocates the floating IP that
// backs the address. Neutron allocates it at once, so the insert is done
// when this returns.
func (s *Service) createAddress(ctx context.Context, r *Request, region string, body *compute.Address) (store.Resource, error) {
	data, _ := json.Marshal(addressData{Description: body.Description})
	rec := store.Resource{Project: r.Project(), Scope: "regions/" + region, Kind: "addresses",
		Name: body.Name, Data: data}
	if err := s.Store.Reserve(ctx, rec); err != nil {
		return rec, reserveError(err, addressPath(r, region, body.Name))
	}
	fip, err := s.allocateAddress(ctx, r.Session, body)
	if err != nil {
		s.Store.Release(context.WithoutCancel(ctx), rec.Project, rec.Scope, rec.Kind, rec.Name)
		return rec, err
	}
	rec.OpenStackID = fip.ID
	return rec, s.Store.UpdateResource(ctx, rec)
}

func (s *Service) allocateAddress(ctx context.Context, sess *openstack.Session, body *compute.Address) (openstack.FloatingIP, error) {
	ext, err := s.externalNetwork(ctx, sess)
	if err != nil {
		return openstack.FloatingIP{}, apiError(err, "")
	}
	fip, err := sess.CreateFloatingIPAt(ctx, ext.ID, body.Address, "gce address "+body.Name)
	if errors.Is(err, openstack.ErrConflict) {
		return fip, gce.InUse("The IP address '%s' is already in use", body.Address)
	}
	if errors.Is(err, openstack.ErrForbidden) && body.Address != "" {
		return fip, gce.Forbidden("The OpenStack policy does not allow this project to reserve "+
			"the specific IP address '%s'. Omit address to reserve any free external IP address.", body.Address)
	}
	return fip, apiError(err, "")
}

// lookupAddress returns the store record and floating IP of the address
// named in the URL.
func (s *Service) lookupAddress(ctx context.Context, r *Request, region string) (store.Resource, openstack.FloatingIP, error) {
	name := r.Vars["address"]
	missing := gce.NotFound(addressPath(r, region, name))
	rec, err := s.Store.Resource(ctx, r.Project(), "regions/"+region, "addresses", name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && rec.OpenStackID == "") {
		return rec, openstack.FloatingIP{}, missing
	}
	if err != nil {
		return rec, openstack.FloatingIP{}, err
	}
	fip, err := r.Session.FloatingIP(ctx, rec.OpenStackID)
	if errors.Is(err, openstack.ErrNotFound) {
		return rec, fip, missing
	}
	return rec, fip, apiError(err, addressPath(r, region, name))
}

func (s *Service) getAddress(ctx context.Context, r *Request) Response {
	reg, err := s.requireRegion(ctx, r)
	if err != nil {
		return Fail(err)
	}
	region := regionName(reg.ID)
	rec, fip, err := s.lookupAddress(ctx, r, region)
	if err != nil {
		return Fail(err)
	}
	users, err := s.addressUsers(ctx, r, []openstack.FloatingIP{fip})
	if err != nil {
		return Fail(apiError(err, ""))
	}
	return OK(addressView(r, region, rec, fip, users[fip.ID]))
}

func (s *Service) deleteAddress(ctx context.Context, r *Request) Response {
	reg, err := s.requireRegion(ctx, r)
	if err != nil {
		return Fail(err)
	}
	region := regionName(reg.ID)
	rec, fip, err := s.lookupAddress(ctx, r, region)
	if err != nil {
		return Fail(err)
	}
	if fip.PortID != "" {
		return Fail(s.addressInUse(ctx, r, region, rec.Name, fip))
	}
	if err := r.Session.DeleteFloatingIP(ctx, fip.ID); err != nil {
		return Fail(apiError(err, addressPath(r, region, rec.Name)))
	}
	if err := s.Store.Release(ctx, rec.Project, rec.Scope, rec.Kind, rec.Name); err != nil {
		return Fail(err)
	}
	op := &operations.Record{Project: r.Project(), Scope: rec.Scope, Type: "delete",
		Kind: "addresses", Target: rec.Name, TargetID: fip.ID, User: r.Session.UserName}
	if err := s.Ops.Create(ctx, op); err != nil {
		return Fail(err)
	}
	return OK(op.View(r.Links))
}

// addressInUse is the error for a change that needs the address free.
func (s *Service) addressInUse(ctx context.Context, r *Request, region, name string, fip openstack.FloatingIP) error {
	user := "port " + fip.PortID
	if users, err := s.addressUsers(ctx, r, []openstack.FloatingIP{fip}); err == nil && len(users[fip.ID]) > 0 {
		user = users[fip.ID][0]
	}
	return gce.InUse("The address resource '%s' is already being used by '%s'",
		addressPath(r, region, name), resourcePath(r, user))
}
