package openstack

import (
	"net/http"

	"github.com/google/uuid"
)

func (cl *call) snapshotBody(s *snapshot, created bool) map[string]any {
	body := map[string]any{
		"id": s.ID, "created_at": microTimestamp(s.Created), "updated_at": timeOrNil(s.Updated),
		"name": s.Name, "description": nullable(s.Description), "volume_id": s.VolumeID,
		"status": s.Status, "size": s.Size, "metadata": s.Metadata,
	}
	if cl.mv >= 14 {
		body["group_snapshot_id"] = nil
	}
	if cl.mv >= 41 {
		body["user_id"] = s.UserID
	}
	if cl.mv >= 65 {
		body["consumes_quota"] = true
	}
	if !created {
		body["os-extended-snapshot-attributes:project_id"] = s.ProjectID
		body["os-extended-snapshot-attributes:progress"] = snapshotProgress(s.Status)
	}
	return body
}

func snapshotProgress(status string) string {
	if status == "creating" {
		return "0%"
	}
	return "100%"
}

func (cl *call) findSnapshot(id string) (*snapshot, reply, bool) {
	s := cl.c.snapshots[id]
	if s == nil || !cl.visible(s.ProjectID) {
		return nil, cl.fail(http.StatusNotFound, "", "Snapshot %s could not be found.", id), false
	}
	return s, reply{}, true
}

func getSnapshot(cl *call) reply {
	s, rep, ok := cl.findSnapshot(cl.vars["id"])
	if !ok {
		return rep
	}
	return respond(http.StatusOK, map[string]any{"snapshot": cl.snapshotBody(s, false)})
}

func listSnapshots(cl *call) reply { return cl.listSnapshots(false) }

func listSnapshotsDetail(cl *call) reply { return cl.listSnapshots(true) }

func (cl *call) listSnapshots(detail bool) reply {
	q := cl.r.URL.Query()
	var items []map[string]any
	for _, s := range cl.c.snapshots {
		if s.ProjectID != cl.tok.projectID() {
			continue
		}
		if (q.Has("name") && q.Get("name") != s.Name) || (q.Has("status") && q.Get("status") != s.Status) ||
			(q.Has("volume_id") && q.Get("volume_id") != s.VolumeID) {
			continue
		}
		items = append(items, cl.snapshotBody(s, false))
	}
	path := "/snapshots"
	if detail {
		path = "/snapshots/detail"
	}
	page, links, rep, ok := cl.cinderPage(items, path)
	if !ok {
		return rep
	}
	body := map[string]any{"snapshots": nonNil(page)}
	if links != nil {
		body["snapshots_links"] = links
	}
	return respond(http.StatusOK, body)
}

type snapshotFields struct {
	VolumeID    string            `json:"volume_id"`
	Name        *string           `json:"name"`
	Description *string           `json:"description"`
	Force       any               `json:"force"`
	Metadata    map[string]string `json:"metadata"`
}

func createSnapshot(cl *call) reply {
	var req struct {
		Snapshot *snapshotFields `json:"snapshot"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	f := req.Snapshot
	if f == nil {
		return cl.fail(http.StatusBadRequest, "", "Missing required element 'snapshot' in request body.")
	}
	v, rep, ok := cl.findVolume(f.VolumeID)
	if !ok {
		return rep
	}
	force := f.Force == true || f.Force == "true" || f.Force == "True"
	if v.Status != "available" && !(force && v.Status == "in-use") {
		return cl.fail(http.StatusBadRequest, "", "Invalid volume: Volume %s status must be available, but current status is: %s.", v.ID, v.Status)
	}
	s := &snapshot{ID: uuid.NewString(), VolumeID: v.ID, ProjectID: cl.tok.projectID(),
		UserID: cl.tok.User.ID, Size: v.Size, Status: "creating", Metadata: map[string]string{}, Created: cl.now}
	setString(&s.Name, f.Name)
	setString(&s.Description, f.Description)
	if f.Metadata != nil {
		s.Metadata = f.Metadata
	}
	cl.c.snapshots[s.ID] = s
	cl.c.after(cl.now, cl.c.timings.SnapshotCreate, func() { cl.c.setSnapshotStatus(s, "creating", "available") })
	return respond(http.StatusAccepted, map[string]any{"snapshot": cl.snapshotBody(s, true)})
}

func (c *Cloud) setSnapshotStatus(s *snapshot, from, to string) {
	if c.snapshots[s.ID] == nil || s.Status != from {
		return
	}
	now := c.clock.Now()
	s.Status, s.Updated = to, &now
}

func updateSnapshot(cl *call) reply {
	s, rep, ok := cl.findSnapshot(cl.vars["id"])
	if !ok {
		return rep
	}
	var req struct {
		Snapshot *snapshotFields `json:"snapshot"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Snapshot == nil {
		return cl.fail(http.StatusBadRequest, "", "Missing required element 'snapshot' in request body.")
	}
	setString(&s.Name, req.Snapshot.Name)
	setString(&s.Description, req.Snapshot.Description)
	now := cl.now
	s.Updated = &now
	return respond(http.StatusOK, map[string]any{"snapshot": cl.snapshotBody(s, false)})
}

func deleteSnapshot(cl *call) reply {
	s, rep, ok := cl.findSnapshot(cl.vars["id"])
	if !ok {
		return rep
	}
	if s.Status != "available" && s.Status != "error" {
		return cl.fail(http.StatusBadRequest, "", "Invalid snapshot: Volume Snapshot status must be available or error.")
	}
	s.Status = "deleting"
	now := cl.now
	s.Updated = &now
	cl.c.after(cl.now, cl.c.timings.SnapshotDelete, func() { delete(cl.c.snapshots, s.ID) })
	return empty(http.StatusAccepted)
}
