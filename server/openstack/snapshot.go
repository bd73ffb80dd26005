package openstack

import (
	"context"
	"net/http"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/blockstorage/v3/snapshots"
)

// Snapshot is a Cinder volume snapshot. SizeGB is the size of its volume.
type Snapshot struct {
	ID          string
	Name        string
	Description string
	VolumeID    string
	SizeGB      int
	Status      string // creating, available, deleting, error, error_deleting
	Created     time.Time
}

// Snapshot returns one snapshot.
func (s *Session) Snapshot(ctx context.Context, id string) (Snapshot, error) {
	sc, err := s.service("volume")
	if err != nil {
		return Snapshot{}, err
	}
	snap, err := snapshots.Get(ctx, sc, id).Extract()
	if err != nil {
		return Snapshot{}, wrapErr("get snapshot "+id, err)
	}
	return toSnapshot(snap), nil
}

// Snapshots lists the project's snapshots; a volumeID other than "" keeps
// only the snapshots of that volume.
func (s *Session) Snapshots(ctx context.Context, volumeID string) ([]Snapshot, error) {
	sc, err := s.service("volume")
	if err != nil {
		return nil, err
	}
	pages, err := snapshots.List(sc, snapshots.ListOpts{VolumeID: volumeID}).AllPages(ctx)
	if err != nil {
		return nil, wrapErr("list snapshots", err)
	}
	list, err := snapshots.ExtractSnapshots(pages)
	if err != nil {
		return nil, wrapErr("list snapshots", err)
	}
	out := make([]Snapshot, 0, len(list))
	for i := range list {
		out = append(out, toSnapshot(&list[i]))
	}
	return out, nil
}

// CreateSnapshot snapshots a volume and returns the new snapshot's id.
// force lets Cinder snapshot a volume that is attached (in-use).
func (s *Session) CreateSnapshot(ctx context.Context, volumeID, name, description string, force bool) (string, error) {
	sc, err := s.service("volume")
	if err != nil {
		return "", err
	}
	opts := snapshots.CreateOpts{VolumeID: volumeID, Name: name, Description: description, Force: force}
	snap, err := snapshots.Create(ctx, sc, opts).Extract()
	if err != nil {
		return "", wrapErr("create snapshot "+name+" of volume "+volumeID, err)
	}
	return snap.ID, nil
}

// DeleteSnapshot starts the deletion of a snapshot; one already gone is no
// error.
func (s *Session) DeleteSnapshot(ctx context.Context, id string) error {
	sc, err := s.service("volume")
	if err != nil {
		return err
	}
	err = snapshots.Delete(ctx, sc, id).ExtractErr()
	if gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		return nil
	}
	return wrapErr("delete snapshot "+id, err)
}

func toSnapshot(snap *snapshots.Snapshot) Snapshot {
	return Snapshot{ID: snap.ID, Name: snap.Name, Description: snap.Description,
		VolumeID: snap.VolumeID, SizeGB: snap.Size, Status: snap.Status, Created: snap.CreatedAt}
}
