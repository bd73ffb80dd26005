package compute

import (
	"context"
	"errors"
	"net/http"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/operations"
	"github.com/gce-api/gce-api/server/store"
)

// defaultAccessConfigName is the name GCE gives an access config that has none.
const defaultAccessConfigName = "external-nat"

// nicPort returns the Neutron port behind the network interface named by
// the networkInterface query parameter (nic0, nic1, ...).
func nicPort(ctx context.Context, r *Request, srv openstack.Server) (openstack.Port, error) {
	name := r.Query.Get("networkInterface")
	if name == "" {
		return openstack.Port{}, gce.Required("networkInterface")
	}
	ports, err := r.Session.Ports(ctx, openstack.PortFilter{DeviceID: srv.ID})
	if err != nil {
		return openstack.Port{}, apiError(err, "")
	}
	sortPorts(ports)
	for i, p := range ports {
		if "nic"+itoa(i) == name {
			return p, nil
		}
	}
	return openstack.Port{}, gce.InvalidField("networkInterface", name,
		"The instance has no network interface with this name.")
}

func (s *Service) addAccessConfig(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	rec, srv, err := s.lookupInstance(ctx, r, zone.Name)
	if err != nil {
		return Fail(err)
	}
	var body compute.AccessConfig
	if err := decodeBody(r.Body, &body); err != nil {
		return Fail(err)
	}
	if body.Type != "" && body.Type != "ONE_TO_ONE_NAT" {
		return Fail(gce.InvalidField("resource.type", body.Type, "Must be ONE_TO_ONE_NAT."))
	}
	if err := checkIPv4("resource.natIP", body.NatIP); err != nil {
		return Fail(err)
	}
	port, err := nicPort(ctx, r, srv)
	if err != nil {
		return Fail(err)
	}
	fip, err := s.natForPort(ctx, r, port, body.NatIP)
	if err != nil {
		return Fail(err)
	}
	ephemeral := !s.isAddress(ctx, r.Project(), fip.ID)
	err = s.updateInstanceData(ctx, r.Project(), zone.Name, rec.Name, func(d *instanceData) {
		if d.AccessConfigs == nil {
			d.AccessConfigs = map[string]accessConfig{}
		}
		d.AccessConfigs[fip.ID] = accessConfig{Name: orText(body.Name, defaultAccessConfigName), Ephemeral: ephemeral}
	})
	if err != nil {
		return Fail(err)
	}
	return s.startInstanceAction(ctx, r, zone.Name, rec.Name, srv.ID, "addAccessConfig", "", nil)
}

// natForPort gives port a floating IP: the one at natIP, which must be free,
// or a new ephemeral one. A port that has one already is rejected.
func (s *Service) natForPort(ctx context.Context, r *Request, port openstack.Port, natIP string) (openstack.FloatingIP, error) {
	current, err := r.Session.FloatingIPs(ctx, openstack.FloatingIPFilter{PortID: port.ID})
	if err != nil {
		return openstack.FloatingIP{}, apiError(err, "")
	}
	if len(current) > 0 {
		return openstack.FloatingIP{}, gce.Invalid("The network interface already has an access config (%s); delete it first.",
			current[0].Address)
	}
	if natIP == "" {
		ext, err := s.externalNetwork(ctx, r.Session)
		if err != nil {
			return openstack.FloatingIP{}, apiError(err, "")
		}
		fip, err := r.Session.CreateFloatingIP(ctx, ext.ID, port.ID, "gce ephemeral address")
		return fip, apiError(err, "")
	}
	fip, err := s.freeFloatingIP(ctx, r, natIP)
	if err != nil {
		return fip, err
	}
	return fip, apiError(r.Session.AssociateFloatingIP(ctx, fip.ID, port.ID), "")
}

// freeFloatingIP returns the project's floating IP at address when no port
// uses it.
func (s *Service) freeFloatingIP(ctx context.Context, r *Request, address string) (openstack.FloatingIP, error) {
	list, err := r.Session.FloatingIPs(ctx, openstack.FloatingIPFilter{Address: address})
	if err != nil {
		return openstack.FloatingIP{}, apiError(err, "")
	}
	if len(list) == 0 {
		return openstack.FloatingIP{}, gce.InvalidField("resource.natIP", address,
			"The project has no reserved address with this IP; reserve it with addresses.insert first.")
	}
	if list[0].PortID != "" {
		return openstack.FloatingIP{}, gce.InUse("The IP address '%s' is already being used by '%s'",
			address, s.instanceOfPort(ctx, r, list[0].PortID))
	}
	return list[0], nil
}

// instanceOfPort returns the path of the instance whose server owns a
// port, as error messages name it.
func (s *Service) instanceOfPort(ctx context.Context, r *Request, portID string) string {
	p, err := r.Session.Port(ctx, portID)
	if err != nil || p.DeviceID == "" {
		return "port " + portID
	}
	return s.instancePathOf(ctx, r.Project(), p.DeviceID)
}

// isAddress reports whether a floating IP backs a reserved address. A store
// error counts as yes, so that a failed lookup never deletes an address.
func (s *Service) isAddress(ctx context.Context, project, fipID string) bool {
	_, err := s.Store.ResourceByOpenStackID(ctx, project, "addresses", fipID)
	return !errors.Is(err, store.ErrNotFound)
}

func (s *Service) deleteAccessConfig(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	rec, srv, err := s.lookupInstance(ctx, r, zone.Name)
	if err != nil {
		return Fail(err)
	}
	name := r.Query.Get("accessConfig")
	if name == "" {
		return Fail(gce.Required("accessConfig"))
	}
	port, err := nicPort(ctx, r, srv)
	if err != nil {
		return Fail(err)
	}
	fip, err := accessConfigIP(ctx, r, port, loadInstanceData(rec), name)
	if err != nil {
		return Fail(err)
	}
	if err := s.releaseNat(ctx, r, fip); err != nil {
		return Fail(err)
	}
	err = s.updateInstanceData(ctx, r.Project(), zone.Name, rec.Name, func(d *instanceData) {
		delete(d.AccessConfigs, fip.ID)
	})
	if err != nil {
		return Fail(err)
	}
	return s.startInstanceAction(ctx, r, zone.Name, rec.Name, srv.ID, "deleteAccessConfig", "", nil)
}

// accessConfigIP returns the floating IP of port whose access config is
// called name.
func accessConfigIP(ctx context.Context, r *Request, port openstack.Port, d instanceData, name string) (openstack.FloatingIP, error) {
	fips, err := r.Session.FloatingIPs(ctx, openstack.FloatingIPFilter{PortID: port.ID})
	if err != nil {
		return openstack.FloatingIP{}, apiError(err, "")
	}
	for _, f := range fips {
		if orText(d.AccessConfigs[f.ID].Name, defaultAccessConfigName) == name {
			return f, nil
		}
	}
	return openstack.FloatingIP{}, gce.InvalidField("accessConfig", name,
		"The network interface has no access config with this name.")
}

// releaseNat deletes an ephemeral floating IP and detaches a reserved
// address, which keeps its IP and becomes RESERVED again.
func (s *Service) releaseNat(ctx context.Context, r *Request, fip openstack.FloatingIP) error {
	if s.isAddress(ctx, r.Project(), fip.ID) {
		return apiError(r.Session.AssociateFloatingIP(ctx, fip.ID, ""), "")
	}
	return apiError(r.Session.DeleteFloatingIP(ctx, fip.ID), "")
}

// resetState is the progress of an instances.reset operation.
type resetState struct {
	ServerID string `json:"serverId"`
}

func (s *Service) resetInstance(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	rec, srv, err := s.lookupInstance(ctx, r, zone.Name)
	if err != nil {
		return Fail(err)
	}
	if err := r.Session.RebootServer(ctx, srv.ID, true); err != nil {
		return Fail(apiError(err, instancePath(r, zone.Name, rec.Name)))
	}
	return s.startInstanceAction(ctx, r, zone.Name, rec.Name, srv.ID, "reset", machineReset,
		resetState{ServerID: srv.ID})
}

// advanceReset waits for the hard reboot to end: the server ACTIVE with no
// task state.
func (s *Service) advanceReset(ctx context.Context, sess *openstack.Session, rec *operations.Record) error {
	var st resetState
	if err := rec.LoadState(&st); err != nil {
		return err
	}
	srv, err := sess.Server(ctx, st.ServerID)
	if errors.Is(err, openstack.ErrNotFound) {
		rec.Fail(http.StatusNotFound, "RESOURCE_NOT_FOUND",
			"The OpenStack server of instance '"+rec.Target+"' disappeared during the reset.")
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case srv.Status == "ERROR":
		rec.Fail(http.StatusInternalServerError, "INTERNAL_ERROR",
			orText(srv.FaultMessage, "OpenStack could not reboot the server")+" (instance '"+rec.Target+"')")
	case srv.Status == "ACTIVE" && srv.TaskState == "":
		rec.Finish()
	default:
		rec.Progress = 50
	}
	return nil
}
