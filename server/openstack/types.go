package openstack

import "time"

// Region is a Keystone region.
type Region struct {
	ID          string
	Description string
}

// Project is a Keystone project.
type Project struct {
	ID          string
	Name        string
	Description string
	DomainID    string
}

// Zone is a Nova availability zone.
type Zone struct {
	Name      string
	Available bool
}

// Flavor is a Nova flavor. RAM is in MiB, Disk and Ephemeral in GiB.
type Flavor struct {
	ID        string
	Name      string
	VCPUs     int
	RAM       int
	Disk      int
	Ephemeral int
}

// Server is a Nova server as the API shows it at the session's microversion.
type Server struct {
	ID           string
	Name         string
	Status       string // BUILD, ACTIVE, SHUTOFF, ERROR, HARD_REBOOT, DELETED, ...
	TaskState    string
	Zone         string // "" while the server is being scheduled
	FlavorName   string // the flavor's original_name (microversion 2.47+)
	Metadata     map[string]string
	Tags         []string
	KeyName      string
	VolumeIDs    []string // attached volumes in Nova's order
	FaultCode    int
	FaultMessage string
	Created      time.Time
	Updated      time.Time
}

// ServerSpec describes a server to boot from volumes.
type ServerSpec struct {
	Name           string
	FlavorID       string
	Zone           string
	NetworkIDs     []string
	FixedIP        string // IPv4 address on the first network; "" lets Neutron choose
	SecurityGroups []string
	Metadata       map[string]string
	Tags           []string
	KeyName        string
	Disks          []BootDisk // Disks[0] is the boot disk
}

// BootDisk is one block device of a new server, backed by a Cinder volume.
type BootDisk struct {
	ImageID      string // make a new volume from this image
	VolumeID     string // or attach this existing volume
	SizeGB       int    // size of a new volume; 0 takes the image's
	DeleteOnTerm bool
}

// VolumeAttachment is a volume attached to a server.
type VolumeAttachment struct {
	VolumeID     string
	ServerID     string
	Device       string
	DeleteOnTerm bool
}

// Network is a Neutron network.
type Network struct {
	ID          string
	Name        string
	Description string
	ProjectID   string
	External    bool
	Shared      bool
	SubnetIDs   []string
	Created     time.Time
}

// Subnet is a Neutron subnet.
type Subnet struct {
	ID        string
	Name      string
	NetworkID string
	CIDR      string
	GatewayIP string
	IPVersion int
}

// Port is a Neutron port.
type Port struct {
	ID          string
	Name        string
	NetworkID   string
	DeviceID    string
	DeviceOwner string
	MACAddress  string
	FixedIPs    []FixedIP
	Created     time.Time
}

// FixedIP is one address of a port.
type FixedIP struct {
	SubnetID  string
	IPAddress string
}

// FloatingIP is a Neutron floating IP.
type FloatingIP struct {
	ID          string
	Address     string
	NetworkID   string
	PortID      string
	FixedIP     string
	Description string
	Status      string
	Created     time.Time
}

// Volume is a Cinder volume.
type Volume struct {
	ID            string
	Name          string
	Description   string
	SizeGB        int
	Status        string // creating, available, in-use, deleting, error, ...
	Zone          string
	Bootable      bool
	ImageID       string
	ImageName     string
	SnapshotID    string
	SourceVolID   string
	VolumeType    string
	Metadata      map[string]string
	Attachments   []VolumeAttachment
	Created       time.Time
	ImageMetadata map[string]string
}

// Image is a Glance image; Properties holds its custom properties.
type Image struct {
	ID         string
	Name       string
	Status     string // queued, saving, importing, active, killed, deleted
	Visibility string
	Owner      string
	SizeBytes  int64 // bytes stored
	// VirtualBytes is the size of the disk the image holds; 0 when Glance
	// has not inspected the data.
	VirtualBytes int64
	MinDiskGB    int
	DiskFormat   string
	Created      time.Time
	Properties   map[string]string
}
