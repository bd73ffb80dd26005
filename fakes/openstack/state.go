package openstack

import (
	"net/netip"
	"time"
)

// project is a Keystone project.
type project struct {
	ID, Name, Description string
}

// role is a Keystone role assignment as a token lists it.
type role struct {
	ID, Name string
}

// user is a Keystone user with roles on exactly one project.
type user struct {
	ID, Name, Password, ProjectID string
	Roles                         []role
}

// token is an issued Keystone token. Project is nil for an unscoped token.
type token struct {
	ID       string
	User     *user
	Project  *project
	Roles    []role
	Methods  []string
	AuditIDs []string
	Issued   time.Time
	Expires  time.Time
}

// isAdmin reports whether the token carries the admin role.
func (t *token) isAdmin() bool {
	for _, r := range t.Roles {
		if r.Name == "admin" {
			return true
		}
	}
	return false
}

// projectID returns the scoped project's id, or "" for an unscoped token.
func (t *token) projectID() string {
	if t.Project == nil {
		return ""
	}
	return t.Project.ID
}

type flavor struct {
	ID, Name         string
	VCPUs, RAM, Disk int
}

// blockDevice is a volume attached to a server, as Nova records it.
type blockDevice struct {
	VolumeID, AttachmentID, BDMID, Device string
	DeleteOnTermination                   bool
	BootIndex                             int
}

type server struct {
	ID, Name, ProjectID, UserID, FlavorID, ImageID string
	KeyName, AZ, HostID, AdminPass, Description    string
	Metadata                                       map[string]string
	Tags                                           []string
	SecurityGroups                                 []string
	Ports                                          []string
	Devices                                        []*blockDevice
	Created, Updated                               time.Time
	Launched                                       *time.Time
	Status, TaskState, VMState                     string
	PowerState                                     int
	Fault                                          map[string]any
	// gen counts state changes; a scheduled transition applies only if
	// no later action has replaced it.
	gen int

	// Flavor is the copy of the flavor taken at create, which Nova embeds
	// from 2.47 on and keeps after the flavor is deleted.
	Flavor flavor
}

type keypair struct {
	Name, UserID, PublicKey, Fingerprint, Type string
	Created                                    time.Time
}

// standard holds the attributes every Neutron resource carries.
type standard struct {
	Description      string
	Tags             []string
	Created, Updated time.Time
	Revision         int
}

// touch records an update: a new revision and updated_at.
func (s *standard) touch(now time.Time) {
	s.Revision++
	s.Updated = now
}

type network struct {
	standard
	ID, Name, ProjectID string
	External, Shared    bool
	AdminStateUp        bool
	MTU                 int
	Subnets             []string
}

type pool struct{ Start, End netip.Addr }

type subnet struct {
	standard
	ID, Name, ProjectID, NetworkID string
	CIDR                           netip.Prefix
	Gateway                        string
	Pools                          []pool
	EnableDHCP                     bool
	DNS                            []string
	used                           map[netip.Addr]bool
}

type fixedIP struct {
	SubnetID  string `json:"subnet_id"`
	IPAddress string `json:"ip_address"`
}

type port struct {
	standard
	ID, Name, ProjectID, NetworkID string
	MAC, DeviceID, DeviceOwner     string
	Status                         string
	AdminStateUp                   bool
	FixedIPs                       []fixedIP
	SecurityGroups                 []string
}

type route struct {
	Destination string `json:"destination"`
	Nexthop     string `json:"nexthop"`
}

type router struct {
	standard
	ID, Name, ProjectID string
	GatewayNetwork      string
	GatewayIPs          []fixedIP
	EnableSNAT          bool
	Routes              []route
}

type floatingIP struct {
	standard
	ID, ProjectID, Address, NetworkID string
	PortID, FixedIP, RouterID         string
}

type securityGroup struct {
	standard
	ID, Name, ProjectID string
}

type securityGroupRule struct {
	standard
	ID, GroupID, ProjectID, Direction, Ethertype string
	Protocol, RemoteIPPrefix, RemoteGroupID      *string
	PortMin, PortMax                             *int
}

// volumeAttachment is a Cinder attachment of a volume to a server.
type volumeAttachment struct {
	ID, VolumeID, ServerID, Device string
	AttachedAt                     time.Time
}

type volume struct {
	ID, Name, Description, ProjectID, UserID string
	Size                                     int
	AZ, Status, VolumeType                   string
	SnapshotID, SourceVolID, ImageID         string
	Bootable                                 bool
	NoName, NoDescription                    bool
	ImageMetadata                            map[string]string
	Metadata                                 map[string]string
	Attachments                              []*volumeAttachment
	Created                                  time.Time
	Updated                                  *time.Time
}

type snapshot struct {
	ID, Name, Description, VolumeID, ProjectID, UserID string
	Size                                               int
	Status                                             string
	Metadata                                           map[string]string
	Created                                            time.Time
	Updated                                            *time.Time
}

type image struct {
	ID, Name, Owner, Visibility, Status string
	DiskFormat, ContainerFormat         string
	Size                                *int64
	VirtualSize                         *int64 // nil: Size
	Checksum, HashValue                 string
	MinDisk, MinRAM                     int
	Protected, Hidden                   bool
	Properties                          map[string]any
	Tags                                []string
	Created, Updated                    time.Time
	Data                                []byte
	ImportURI                           string
}
