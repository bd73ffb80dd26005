package openstack

import (
	"fmt"
	"net/http"
	"slices"
)

// attachmentView renders a Nova volume attachment: at 2.89 and later the
// id is replaced by attachment_id and bdm_uuid.
func (cl *call) attachmentView(s *server, d *blockDevice) map[string]any {
	body := map[string]any{"volumeId": d.VolumeID, "serverId": s.ID, "device": d.Device}
	if cl.mv < 89 {
		body["id"] = d.VolumeID
	}
	if cl.mv >= 70 {
		body["tag"] = nil
	}
	if cl.mv >= 79 {
		body["delete_on_termination"] = d.DeleteOnTermination
	}
	if cl.mv >= 89 {
		body["attachment_id"], body["bdm_uuid"] = d.AttachmentID, d.BDMID
	}
	return body
}

func listVolumeAttachments(cl *call) reply {
	s, rep, ok := cl.findServer(cl.vars["id"])
	if !ok {
		return rep
	}
	out := []any{}
	for _, d := range s.Devices {
		out = append(out, cl.attachmentView(s, d))
	}
	return respond(http.StatusOK, map[string]any{"volumeAttachments": out})
}

func (cl *call) findDevice(s *server, volumeID string) (*blockDevice, reply, bool) {
	for _, d := range s.Devices {
		if d.VolumeID == volumeID {
			return d, reply{}, true
		}
	}
	return nil, cl.fail(http.StatusNotFound, "", "Volume %s is not attached to %s", volumeID, s.ID), false
}

func getVolumeAttachment(cl *call) reply {
	s, rep, ok := cl.findServer(cl.vars["id"])
	if !ok {
		return rep
	}
	d, rep, ok := cl.findDevice(s, cl.vars["volume"])
	if !ok {
		return rep
	}
	return respond(http.StatusOK, map[string]any{"volumeAttachment": cl.attachmentView(s, d)})
}

func attachVolume(cl *call) reply {
	s, rep, ok := cl.findServer(cl.vars["id"])
	if !ok {
		return rep
	}
	var req struct {
		Attachment *struct {
			VolumeID            string `json:"volumeId"`
			DeleteOnTermination bool   `json:"delete_on_termination"`
		} `json:"volumeAttachment"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Attachment == nil || req.Attachment.VolumeID == "" {
		return cl.fail(http.StatusBadRequest, "", "Invalid input for field/attribute volumeAttachment. 'volumeId' is a required property")
	}
	if (s.Status != "ACTIVE" && s.Status != "SHUTOFF") || s.TaskState != "" {
		return cl.conflict("attach_volume", s)
	}
	v := cl.c.volumes[req.Attachment.VolumeID]
	if v == nil || !cl.visible(v.ProjectID) {
		return cl.fail(http.StatusNotFound, "", "Volume %s could not be found.", req.Attachment.VolumeID)
	}
	if v.Status != "available" {
		return cl.fail(http.StatusBadRequest, "", "Invalid volume: volume %s status must be available, but current status is: %s", v.ID, v.Status)
	}
	d := &blockDevice{VolumeID: v.ID, BDMID: newUUID(), Device: nextDevice(s),
		DeleteOnTermination: req.Attachment.DeleteOnTermination && cl.mv >= 79, BootIndex: -1}
	d.AttachmentID = cl.c.beginAttach(v, s.ID, d.Device, cl.now, cl.now).ID
	s.Devices = append(s.Devices, d)
	return respond(http.StatusOK, map[string]any{"volumeAttachment": cl.attachmentView(s, d)})
}

// nextDevice returns the first free /dev/vdX name.
func nextDevice(s *server) string {
	for c := 'a'; c <= 'z'; c++ {
		name := fmt.Sprintf("/dev/vd%c", c)
		if !slices.ContainsFunc(s.Devices, func(d *blockDevice) bool { return d.Device == name }) {
			return name
		}
	}
	return "/dev/vdzz"
}

func detachVolume(cl *call) reply {
	s, rep, ok := cl.findServer(cl.vars["id"])
	if !ok {
		return rep
	}
	d, rep, ok := cl.findDevice(s, cl.vars["volume"])
	if !ok {
		return rep
	}
	if d.BootIndex == 0 {
		return cl.fail(http.StatusBadRequest, "", "Can't detach root device volume")
	}
	if a := cl.c.attachments[d.AttachmentID]; a != nil {
		cl.c.beginDetach(a, cl.now)
	}
	s.Devices = slices.DeleteFunc(s.Devices, func(x *blockDevice) bool { return x == d })
	return empty(http.StatusAccepted)
}
