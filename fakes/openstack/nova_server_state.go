package openstack

import (
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
)

// buildServer creates the server's ports and volumes, stores it and
// schedules BUILD -> ACTIVE (or ERROR).
func (cl *call) buildServer(plan *serverPlan) (reply, bool) {
	s := plan.s
	if rep, ok := cl.createServerPorts(s, plan.networks); !ok {
		return rep, false
	}
	volumeReady := cl.createServerVolumes(s, plan.bdms)
	cl.c.servers[s.ID] = s
	cl.c.scheduleBuild(s, cl.now, volumeReady)
	return reply{}, true
}

// createServerPorts creates one port per requested network, or binds the
// requested ports. An empty request means the project's own network.
func (cl *call) createServerPorts(s *server, nets []networkRequest) (reply, bool) {
	for _, n := range nets {
		p, msg := cl.serverPort(s, n)
		if msg != "" {
			cl.c.dropServerPorts(s, cl.now)
			return cl.fail(http.StatusBadRequest, "", "%s", msg), false
		}
		p.DeviceID, p.DeviceOwner = s.ID, "compute:"+s.AZ
		s.Ports = append(s.Ports, p.ID)
	}
	return reply{}, true
}

// portWithAddress returns a port of network networkID that has address ip,
// or nil. Nova checks this before a build that requests a fixed IP.
func (c *Cloud) portWithAddress(networkID, ip string) *port {
	for _, p := range c.ports {
		if p.NetworkID != networkID {
			continue
		}
		for _, f := range p.FixedIPs {
			if f.IPAddress == ip {
				return p
			}
		}
	}
	return nil
}

func (cl *call) serverPort(s *server, n networkRequest) (*port, string) {
	if n.Port != "" {
		p := cl.c.ports[n.Port]
		if p == nil || !cl.visible(p.ProjectID) {
			return nil, fmt.Sprintf("Port %s could not be found.", n.Port)
		}
		if p.DeviceID != "" {
			return nil, fmt.Sprintf("Port %s is still in use.", p.ID)
		}
		return p, ""
	}
	net := cl.c.networks[n.UUID]
	if n.UUID == "" {
		net = cl.c.projectNetwork(s.ProjectID)
	}
	if net == nil || !cl.networkVisible(net) {
		return nil, fmt.Sprintf("Network %s could not be found.", n.UUID)
	}
	var want []fixedIP
	if n.FixedIP != "" {
		if holder := cl.c.portWithAddress(net.ID, n.FixedIP); holder != nil {
			return nil, fmt.Sprintf("Fixed IP address %s is already in use on instance %s.", n.FixedIP, holder.DeviceID)
		}
		want = []fixedIP{{IPAddress: n.FixedIP}}
	}
	p, err := cl.c.newPort(s.ProjectID, net, want, cl.now)
	if err != nil {
		return nil, err.Error()
	}
	p.SecurityGroups = cl.c.groupIDs(s.ProjectID, s.SecurityGroups)
	return p, ""
}

// projectNetwork returns the project's first own network, for "auto".
func (c *Cloud) projectNetwork(projectID string) *network {
	var found *network
	for _, n := range c.networks {
		if n.ProjectID == projectID && !n.External && (found == nil || n.ID < found.ID) {
			found = n
		}
	}
	return found
}

func (c *Cloud) groupIDs(projectID string, refs []string) []string {
	ids := []string{}
	for _, r := range refs {
		if g := c.groupByNameOrID(projectID, r); g != nil {
			ids = append(ids, g.ID)
		}
	}
	return ids
}

// dropServerPorts deletes the ports created for s and unbinds the others.
func (c *Cloud) dropServerPorts(s *server, now time.Time) {
	for _, id := range s.Ports {
		if p := c.ports[id]; p != nil {
			c.removePort(p, now)
		}
	}
	s.Ports = nil
}

// createServerVolumes creates or reserves the server's volumes and returns
// the time by which all of them are attached.
func (cl *call) createServerVolumes(s *server, bdms []bdmRequest) time.Time {
	ready := cl.now
	for i, b := range bdms {
		d := &blockDevice{BDMID: uuid.NewString(), Device: fmt.Sprintf("/dev/vd%c", 'a'+i), BootIndex: -1,
			DeleteOnTermination: b.DeleteOnTermination}
		if b.BootIndex != nil {
			d.BootIndex = *b.BootIndex
		}
		v := cl.c.volumes[b.UUID]
		if b.SourceType != "volume" {
			v = cl.serverVolume(s, b)
		}
		d.VolumeID = v.ID
		a := cl.c.beginAttach(v, s.ID, d.Device, cl.now, cl.volumeDone(v))
		d.AttachmentID = a.ID
		s.Devices = append(s.Devices, d)
		if at := cl.volumeDone(v).Add(cl.c.timings.VolumeAttach); at.After(ready) {
			ready = at
		}
	}
	return ready
}

// volumeDone is when a volume in creating becomes available.
func (cl *call) volumeDone(v *volume) time.Time {
	switch {
	case v.Status != "creating":
		return cl.now
	case v.ImageID != "":
		return cl.now.Add(cl.c.timings.VolumeFromImage)
	}
	return cl.now.Add(cl.c.timings.VolumeCreate)
}

// serverVolume creates the unnamed volume of an image or blank mapping.
func (cl *call) serverVolume(s *server, b bdmRequest) *volume {
	v := &volume{ID: uuid.NewString(), ProjectID: s.ProjectID, UserID: s.UserID, Status: "creating",
		AZ: s.AZ, VolumeType: defaultVolumeType, Metadata: map[string]string{}, Created: cl.now,
		Size: b.VolumeSize, NoDescription: true}
	if b.SourceType == "image" {
		v.ImageID = b.UUID
		if img := cl.c.images[b.UUID]; img != nil && v.Size < img.MinDisk {
			v.Size = img.MinDisk
		}
	}
	if v.Size < 1 {
		v.Size = 1
	}
	cl.c.volumes[v.ID] = v
	cl.c.scheduleVolumeBuild(v, cl.now)
	return v
}

// scheduleBuild moves s through BUILD task states to ACTIVE, or to ERROR
// when FailServerBuilds matches its name. volumesReady is when its volumes
// are attached. The task states follow Nova's compute manager: scheduling,
// none once a host has the build, networking, block_device_mapping (held
// until the volumes are ready) and spawning.
func (c *Cloud) scheduleBuild(s *server, now, volumesReady time.Time) {
	build := c.timings.ServerBuild
	gen := s.gen
	c.after(now, build/40, func() { c.setTask(s, gen, "") })
	c.after(now, build/20, func() { c.setTask(s, gen, "networking") })
	c.after(now, build*3/40, func() { c.setTask(s, gen, "block_device_mapping") })
	spawnAt := now.Add(build / 10)
	if volumesReady.After(spawnAt) {
		spawnAt = volumesReady
	}
	c.after(now, spawnAt.Sub(now), func() { c.setTask(s, gen, "spawning") })
	c.after(now, spawnAt.Sub(now)+build, func() { c.finishBuild(s, gen, spawnAt.Add(build)) })
}

func (c *Cloud) setTask(s *server, gen int, task string) {
	if c.servers[s.ID] == nil || s.gen != gen {
		return
	}
	s.TaskState = task
}

func (c *Cloud) finishBuild(s *server, gen int, at time.Time) {
	if c.servers[s.ID] == nil || s.gen != gen {
		return
	}
	s.gen++
	s.TaskState, s.Updated = "", at
	if c.buildFails(s.Name) {
		s.Status, s.VMState = "ERROR", "error"
		s.Fault = map[string]any{"code": 500, "created": timestamp(at),
			"message": "Build of instance " + s.ID + " aborted: injected build failure"}
		return
	}
	s.Status, s.VMState, s.PowerState, s.Launched = "ACTIVE", "active", 1, &at
	for _, id := range s.Ports {
		if p := c.ports[id]; p != nil {
			p.Status = "ACTIVE"
		}
	}
}

func deleteServer(cl *call) reply {
	s, rep, ok := cl.findServer(cl.vars["id"])
	if !ok {
		return rep
	}
	if s.TaskState == "deleting" {
		return empty(http.StatusNoContent)
	}
	s.gen++
	s.TaskState = "deleting"
	cl.c.after(cl.now, cl.c.timings.ServerDelete, func() { cl.c.destroyServer(s, cl.now.Add(cl.c.timings.ServerDelete)) })
	return empty(http.StatusNoContent)
}

// destroyServer removes s with its ports, deletes volumes marked
// delete_on_termination and frees the others.
func (c *Cloud) destroyServer(s *server, at time.Time) {
	if c.servers[s.ID] == nil {
		return
	}
	c.dropServerPorts(s, at)
	for _, d := range s.Devices {
		if a := c.attachments[d.AttachmentID]; a != nil {
			c.finishDetach(a, at)
		}
		if v := c.volumes[d.VolumeID]; v != nil && d.DeleteOnTermination {
			delete(c.volumes, v.ID)
		}
	}
	delete(c.servers, s.ID)
}
