package compute

import (
	"context"
	"encoding/json"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/store"
)

// instanceData is the store's record of an instance beyond the Nova
// server: the GCE attributes Nova has no place for.
type instanceData struct {
	Description     string                    `json:"description,omitempty"`
	Labels          map[string]string         `json:"labels,omitempty"`
	Metadata        []*compute.MetadataItems  `json:"metadata,omitempty"`
	ServiceAccounts []*compute.ServiceAccount `json:"serviceAccounts,omitempty"`
	Scheduling      *compute.Scheduling       `json:"scheduling,omitempty"`
	CanIPForward    bool                      `json:"canIpForward,omitempty"`
	// Disks maps a Cinder volume id to how the instance uses it.
	Disks map[string]attachedDisk `json:"disks,omitempty"`
	// AccessConfigs maps a floating IP id to the access config it stands for.
	AccessConfigs map[string]accessConfig `json:"accessConfigs,omitempty"`
}

type attachedDisk struct {
	DeviceName string `json:"deviceName"`
	AutoDelete bool   `json:"autoDelete"`
	Boot       bool   `json:"boot"`
}

type accessConfig struct {
	Name      string `json:"name"`
	Ephemeral bool   `json:"ephemeral"` // released with the instance or the access config
}

func loadInstanceData(rec store.Resource) instanceData {
	var d instanceData
	if len(rec.Data) > 0 {
		json.Unmarshal(rec.Data, &d)
	}
	return d
}

// updateInstanceData applies change to the stored data of an instance.
func (s *Service) updateInstanceData(ctx context.Context, project, zone, name string, change func(*instanceData)) error {
	rec, err := s.Store.Resource(ctx, project, "zones/"+zone, "instances", name)
	if err != nil {
		return err
	}
	d := loadInstanceData(rec)
	change(&d)
	rec.Data, err = json.Marshal(d)
	if err != nil {
		return err
	}
	return s.Store.UpdateResource(ctx, rec)
}

// diskData is the store's record of a disk beyond the Cinder volume.
type diskData struct {
	Description string            `json:"description,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	SourceImage string            `json:"sourceImage,omitempty"` // projects/p/global/images/name
	Type        string            `json:"type,omitempty"`        // disk type name, e.g. pd-standard
}
