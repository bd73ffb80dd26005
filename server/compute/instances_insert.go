package compute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/operations"
	"github.com/gce-api/gce-api/server/store"
)

// insertPlan is a validated instances.insert request, ready for OpenStack.
type insertPlan struct {
	zone    string
	name    string
	flavor  openstack.Flavor
	boot    bootDiskPlan
	extra   []extraDiskPlan // the disks after the boot disk, in request order
	network *openstack.Network
	fixedIP string // networkIP the request names; "" lets Neutron choose
	access  *accessPlan
	tags    []string
	data    instanceData
}

type bootDiskPlan struct {
	name        string
	deviceName  string
	sizeGB      int
	autoDelete  bool
	image       openstack.Image
	imageLink   string // projects/p/global/images/name
	volumeID    string // an existing disk instead of an image
	description string
	diskType    string
}

// extraDiskPlan is a disk attached at boot besides the boot disk: an
// existing disk, or a new blank or image volume.
type extraDiskPlan struct {
	name        string
	deviceName  string
	autoDelete  bool
	volumeID    string // an existing disk; "" for a new volume
	imageID     string // the image of a new volume; "" for a blank one
	imageLink   string // projects/p/global/images/name
	sizeGB      int
	description string
	diskType    string
}

// defaultBlankDiskGB is the size of a new blank disk whose request gives
// none.
// NOTE: Compute Engine's default depends on the disk type (10 GB or more),
// but this server uses one size for every type.
const defaultBlankDiskGB = 10

type accessPlan struct {
	name  string
	natIP string // a reserved address, or "" for an ephemeral one
}

// insertState is the progress of an instances.insert operation.
type insertState struct {
	ServerID     string           `json:"serverId"`
	BootDisk     string           `json:"bootDisk"`
	BootDevice   string           `json:"bootDevice"`
	BootExisting bool             `json:"bootExisting,omitempty"`
	AutoDelete   bool             `json:"autoDelete"`
	BootDiskData diskData         `json:"bootDiskData"`
	Access       *accessPlanState `json:"access,omitempty"`
	DiskNamed    bool             `json:"diskNamed,omitempty"`
	Extra        []extraDiskState `json:"extra,omitempty"`
}

// extraDiskState is a disk after the boot disk in an insert operation.
type extraDiskState struct {
	Name       string   `json:"name"`
	Device     string   `json:"device"`
	AutoDelete bool     `json:"autoDelete"`
	Existing   bool     `json:"existing,omitempty"`
	Data       diskData `json:"data"`
}

type accessPlanState struct {
	Name      string `json:"name"`
	NatIP     string `json:"natIP,omitempty"`
	NetworkID string `json:"networkId"`
}

func (s *Service) insertInstance(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	var body compute.Instance
	if err := decodeBody(r.Body, &body); err != nil {
		return Fail(err)
	}
	plan, err := s.planInsert(ctx, r, zone.Name, &body)
	if err != nil {
		return Fail(err)
	}
	op, err := s.startInsert(ctx, r, plan)
	if err != nil {
		return Fail(err)
	}
	return OK(op.View(r.Links))
}

func (s *Service) planInsert(ctx context.Context, r *Request, zone string, body *compute.Instance) (*insertPlan, error) {
	if err := gce.CheckName("resource.name", body.Name); err != nil {
		return nil, err
	}
	plan := &insertPlan{zone: zone, name: body.Name}
	steps := []func() error{
		func() error { return rejectUnsupported(body) },
		func() error { return s.planMachineType(ctx, r, plan, body.MachineType) },
		func() error { return s.planDisks(ctx, r, plan, body.Disks) },
		func() error { return s.planNetwork(ctx, r, plan, body.NetworkInterfaces) },
		func() error { return planAttributes(plan, body) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return plan, nil
}

func (s *Service) planMachineType(ctx context.Context, r *Request, plan *insertPlan, text string) error {
	if text == "" {
		return gce.Required("resource.machineType")
	}
	ref, err := refInScope(r, "resource.machineType", text, "machineTypes", "zones/"+plan.zone)
	if err != nil {
		return err
	}
	f, found, err := s.findFlavor(ctx, r.Session, ref.Name)
	if err != nil {
		return apiError(err, "")
	}
	if !found {
		return gce.InvalidField("resource.machineType", text, fmt.Sprintf(
			"Machine type with name '%s' does not exist in zone '%s'.", ref.Name, plan.zone))
	}
	plan.flavor = f
	return nil
}

// planDisks plans the boot disk (the one marked boot, else the first) and
// the disks after it.
func (s *Service) planDisks(ctx context.Context, r *Request, plan *insertPlan, disks []*compute.AttachedDisk) error {
	if len(disks) == 0 {
		return gce.Required("resource.disks")
	}
	isBoot := func(d *compute.AttachedDisk) bool { return d != nil && d.Boot }
	boots := 0
	for _, d := range disks {
		if isBoot(d) {
			boots++
		}
	}
	if boots > 1 {
		return gce.Invalid("Only one disk of resource.disks may be the boot disk, but %d have boot set.", boots)
	}
	bootIndex := max(slices.IndexFunc(disks, isBoot), 0)
	if disks[bootIndex] == nil {
		return gce.Required("resource.disks[0]")
	}
	if err := s.planBootDisk(ctx, r, plan, disks[bootIndex]); err != nil {
		return err
	}
	devices := map[string]bool{orText(plan.boot.deviceName, "persistent-disk-0"): true}
	for i, d := range disks {
		if i == bootIndex {
			continue
		}
		extra, err := s.planExtraDisk(ctx, r, plan, i, d)
		if err != nil {
			return err
		}
		if devices[extra.deviceName] {
			return gce.InvalidField(fmt.Sprintf("resource.disks[%d].deviceName", i), extra.deviceName,
				"Device names must be unique within an instance.")
		}
		devices[extra.deviceName] = true
		plan.extra = append(plan.extra, extra)
	}
	return nil
}

func (s *Service) planBootDisk(ctx context.Context, r *Request, plan *insertPlan, boot *compute.AttachedDisk) error {
	plan.boot = bootDiskPlan{autoDelete: boot.AutoDelete, deviceName: boot.DeviceName}
	switch {
	case boot.InitializeParams != nil:
		return s.planBootFromImage(ctx, r, plan, boot.InitializeParams)
	case boot.Source != "":
		return s.planBootFromDisk(ctx, r, plan, boot.Source)
	}
	return gce.Required("resource.disks[0].initializeParams.sourceImage")
}

func (s *Service) planBootFromImage(ctx context.Context, r *Request, plan *insertPlan, p *compute.AttachedDiskInitializeParams) error {
	if p.SourceImage == "" {
		return gce.Required("resource.disks[0].initializeParams.sourceImage")
	}
	img, err := s.resolveImage(ctx, r.Session, r.Project(), "resource.disks[0].initializeParams.sourceImage", p.SourceImage)
	if err != nil {
		return err
	}
	if img.Status != "active" {
		return gce.NotReady("The image '%s' is not ready", img.Name)
	}
	b := &plan.boot
	b.image, b.name, b.description = img, orText(p.DiskName, plan.name), p.Description
	b.imageLink = imageProjectPath(r, p.SourceImage, img)
	if b.diskType, err = planDiskType(r, plan.zone, p.DiskType); err != nil {
		return err
	}
	if err := checkNewDisk("resource.disks[0].initializeParams", b.name, p); err != nil {
		return err
	}
	minSize := imageDiskSizeGB(img)
	b.sizeGB = int(max(p.DiskSizeGb, minSize))
	if p.DiskSizeGb != 0 && p.DiskSizeGb < minSize {
		return gce.InvalidField("resource.disks[0].initializeParams.diskSizeGb",
			fmt.Sprint(p.DiskSizeGb), fmt.Sprintf("Requested disk size cannot be smaller than the image size (%d GB)", minSize))
	}
	return nil
}

// imageProjectPath returns projects/p/global/images/name for the image a
// sourceImage reference resolved to.
func imageProjectPath(r *Request, text string, img openstack.Image) string {
	project := r.Project()
	if ref, ok := gce.ParseRef(text); ok && ref.Project != "" {
		project = ref.Project
	}
	return "projects/" + project + "/global/images/" + img.Name
}

func (s *Service) planBootFromDisk(ctx context.Context, r *Request, plan *insertPlan, source string) error {
	ref, err := refInScope(r, "resource.disks[0].source", source, "disks", "zones/"+plan.zone)
	if err != nil {
		return err
	}
	rec, err := s.Store.Resource(ctx, r.Project(), "zones/"+plan.zone, "disks", ref.Name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && rec.OpenStackID == "") {
		return gce.NotFound("projects/" + r.Project() + "/zones/" + plan.zone + "/disks/" + ref.Name)
	}
	if err != nil {
		return err
	}
	if err := s.checkDiskFree(ctx, r, plan.zone, rec); err != nil {
		return err
	}
	plan.boot.name, plan.boot.volumeID = ref.Name, rec.OpenStackID
	return nil
}

// planExtraDisk plans disks[i], which is not the boot disk: an existing
// disk from source, or a new volume from initializeParams (an image, or
// blank).
func (s *Service) planExtraDisk(ctx context.Context, r *Request, plan *insertPlan, i int, d *compute.AttachedDisk) (extraDiskPlan, error) {
	field := fmt.Sprintf("resource.disks[%d]", i)
	if d == nil {
		return extraDiskPlan{}, gce.Required(field)
	}
	extra := extraDiskPlan{deviceName: orText(d.DeviceName, "persistent-disk-"+itoa(i)),
		autoDelete: d.AutoDelete}
	if d.Mode != "" && d.Mode != "READ_WRITE" {
		return extra, gce.InvalidField(field+".mode", d.Mode,
			"Only READ_WRITE is supported: Cinder attaches volumes read-write.")
	}
	switch {
	case d.Source != "":
		rec, err := s.attachSourceDisk(ctx, r, plan.zone, field+".source", d.Source)
		if err != nil {
			return extra, err
		}
		extra.name, extra.volumeID = rec.Name, rec.OpenStackID
		return extra, s.checkDiskFree(ctx, r, plan.zone, rec)
	case d.InitializeParams != nil:
		return extra, s.planNewDisk(ctx, r, plan, i, &extra, d.InitializeParams)
	}
	return extra, gce.Required(field + ".source")
}

// planNewDisk plans a new volume named diskName (default: the instance
// name and the disk's index), from sourceImage or blank.
func (s *Service) planNewDisk(ctx context.Context, r *Request, plan *insertPlan, i int, extra *extraDiskPlan, p *compute.AttachedDiskInitializeParams) error {
	field := fmt.Sprintf("resource.disks[%d].initializeParams", i)
	extra.name = orText(p.DiskName, plan.name+"-"+itoa(i))
	extra.description = p.Description
	var err error
	if extra.diskType, err = planDiskType(r, plan.zone, p.DiskType); err != nil {
		return err
	}
	if err := checkNewDisk(field, extra.name, p); err != nil {
		return err
	}
	extra.sizeGB = int(p.DiskSizeGb)
	if p.SourceImage == "" {
		extra.sizeGB = int(orInt(p.DiskSizeGb, defaultBlankDiskGB))
		return nil
	}
	img, err := s.resolveImage(ctx, r.Session, r.Project(), field+".sourceImage", p.SourceImage)
	if err != nil {
		return err
	}
	if img.Status != "active" {
		return gce.NotReady("The image '%s' is not ready", img.Name)
	}
	extra.imageID, extra.imageLink = img.ID, imageProjectPath(r, p.SourceImage, img)
	minSize := imageDiskSizeGB(img)
	if p.DiskSizeGb != 0 && p.DiskSizeGb < minSize {
		return gce.InvalidField(field+".diskSizeGb", fmt.Sprint(p.DiskSizeGb),
			fmt.Sprintf("Requested disk size cannot be smaller than the image size (%d GB)", minSize))
	}
	extra.sizeGB = int(max(p.DiskSizeGb, minSize))
	return nil
}

func orInt(n, fallback int64) int64 {
	if n == 0 {
		return fallback
	}
	return n
}

func (s *Service) planNetwork(ctx context.Context, r *Request, plan *insertPlan, nics []*compute.NetworkInterface) error {
	if len(nics) == 0 {
		return gce.Required("resource.networkInterfaces")
	}
	if len(nics) > 1 {
		return gce.Invalid("Only one network interface per instance is supported.")
	}
	nic := nics[0]
	if nic.Subnetwork != "" {
		return unsupported("networkInterfaces[0].subnetwork",
			"networks are legacy networks without subnetworks")
	}
	name := "default"
	if nic.Network != "" {
		ref, err := refInScope(r, "resource.networkInterfaces[0].network", nic.Network, "networks", "global")
		if err != nil {
			return err
		}
		name = ref.Name
	}
	n, found, err := s.findNetwork(ctx, r.Session, name)
	if err != nil {
		return apiError(err, "")
	}
	if !found {
		return gce.NotFound("projects/" + r.Project() + "/global/networks/" + name)
	}
	plan.network = &n
	if err := s.planFixedIP(ctx, r, plan, nic.NetworkIP); err != nil {
		return err
	}
	return planAccess(plan, nic.AccessConfigs)
}

// planFixedIP checks that a requested networkIP is an IPv4 address inside
// one of the network's subnets.
func (s *Service) planFixedIP(ctx context.Context, r *Request, plan *insertPlan, text string) error {
	if text == "" {
		return nil
	}
	const field = "resource.networkInterfaces[0].networkIP"
	ip, err := netip.ParseAddr(text)
	if err != nil || !ip.Is4() {
		return gce.InvalidField(field, text, "Must be an IPv4 address.")
	}
	subnets, err := r.Session.Subnets(ctx, plan.network.ID)
	if err != nil {
		return apiError(err, "")
	}
	for _, sn := range subnets {
		prefix, err := netip.ParsePrefix(sn.CIDR)
		if err != nil || !prefix.Contains(ip) {
			continue
		}
		if prefix.Bits() < 31 && (ip == prefix.Masked().Addr() || ip == lastAddr(prefix)) {
			return gce.InvalidField(field, text, fmt.Sprintf(
				"The address is the network or broadcast address of %s.", prefix.Masked()))
		}
		return s.checkFixedIPFree(ctx, r, plan, text)
	}
	return gce.InvalidField(field, text, fmt.Sprintf(
		"The address is not in the range of network '%s'.", plan.network.Name))
}

// checkFixedIPFree returns resourceInUseByAnotherResource when a port of the
// network already has the address, naming the instance or router that owns it.
func (s *Service) checkFixedIPFree(ctx context.Context, r *Request, plan *insertPlan, ip string) error {
	holders, err := r.Session.Ports(ctx, openstack.PortFilter{NetworkID: plan.network.ID, FixedIP: ip})
	if err != nil {
		return apiError(err, "")
	}
	if len(holders) == 0 {
		plan.fixedIP = ip
		return nil
	}
	user := "another resource of the network"
	switch {
	case holders[0].DeviceOwner == "network:router_interface" || holders[0].DeviceOwner == "network:router_gateway":
		user = "the network's router (its gateway address)"
	case strings.HasPrefix(holders[0].DeviceOwner, "compute:"):
		user = s.instancePathOf(ctx, r.Project(), holders[0].DeviceID)
	}
	return gce.InUse("The IP address '%s' is already being used by '%s'", ip, user)
}

// lastAddr returns the last address of an IPv4 prefix, its broadcast address.
func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr().As4()
	host := uint32(1)<<(32-p.Bits()) - 1
	n := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3]) | host
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}

func planAccess(plan *insertPlan, configs []*compute.AccessConfig) error {
	if len(configs) == 0 {
		return nil
	}
	if len(configs) > 1 {
		return gce.Invalid("At most one access config per network interface is supported.")
	}
	ac := configs[0]
	if ac.Type != "" && ac.Type != "ONE_TO_ONE_NAT" {
		return gce.InvalidField("resource.networkInterfaces[0].accessConfigs[0].type", ac.Type,
			"Must be ONE_TO_ONE_NAT.")
	}
	plan.access = &accessPlan{name: orText(ac.Name, "external-nat"), natIP: ac.NatIP}
	return nil
}

func planAttributes(plan *insertPlan, body *compute.Instance) error {
	if err := checkLabels(body.Labels); err != nil {
		return err
	}
	if err := checkDescription("resource.description", body.Description); err != nil {
		return err
	}
	if body.Metadata != nil {
		if err := checkMetadata("resource.metadata", body.Metadata.Items); err != nil {
			return err
		}
	}
	if body.Tags != nil {
		for _, tag := range body.Tags.Items {
			if !gce.ValidName(tag) || len(tag) > 60 {
				return gce.InvalidField("resource.tags.items", tag,
					"Tags must be valid names of at most 60 characters.")
			}
		}
		plan.tags = body.Tags.Items
	}
	plan.data = instanceData{Description: body.Description, Labels: body.Labels,
		ServiceAccounts: body.ServiceAccounts, Scheduling: body.Scheduling,
		CanIPForward: body.CanIpForward}
	if body.Metadata != nil {
		plan.data.Metadata = body.Metadata.Items
	}
	return nil
}

// startInsert reserves the names, requests the server from Nova and stores the
// operation that follows it.
func (s *Service) startInsert(ctx context.Context, r *Request, plan *insertPlan) (*operations.Record, error) {
	scope := "zones/" + plan.zone
	data, _ := json.Marshal(plan.data)
	inst := store.Resource{Project: r.Project(), Scope: scope, Kind: "instances", Name: plan.name, Data: data}
	if err := s.Store.Reserve(ctx, inst); err != nil {
		return nil, reserveError(err, "projects/"+r.Project()+"/"+scope+"/instances/"+plan.name)
	}
	release := []store.Resource{inst}
	undo := func() {
		for _, res := range release {
			s.Store.Release(context.WithoutCancel(ctx), res.Project, res.Scope, res.Kind, res.Name)
		}
	}
	if plan.boot.volumeID == "" {
		dd, _ := json.Marshal(diskData{Description: plan.boot.description, SourceImage: plan.boot.imageLink,
			Type: plan.boot.diskType})
		disk := store.Resource{Project: r.Project(), Scope: scope, Kind: "disks", Name: plan.boot.name, Data: dd}
		if err := s.Store.Reserve(ctx, disk); err != nil {
			undo()
			return nil, reserveError(err, "projects/"+r.Project()+"/"+scope+"/disks/"+plan.boot.name)
		}
		release = append(release, disk)
	}
	for _, extra := range plan.extra {
		if extra.volumeID != "" {
			continue
		}
		disk := store.Resource{Project: r.Project(), Scope: scope, Kind: "disks", Name: extra.name,
			Data: mustJSON(extraDiskData(extra))}
		if err := s.Store.Reserve(ctx, disk); err != nil {
			undo()
			return nil, reserveError(err, "projects/"+r.Project()+"/"+scope+"/disks/"+extra.name)
		}
		release = append(release, disk)
	}
	spec := serverSpec(plan)
	if err := s.completeSpec(ctx, r, plan, &spec); err != nil {
		undo()
		return nil, err
	}
	serverID, err := r.Session.CreateServer(ctx, spec)
	if err != nil {
		undo()
		return nil, apiError(err, "")
	}
	inst.OpenStackID = serverID
	if err := s.Store.UpdateResource(ctx, inst); err != nil {
		return nil, err
	}
	rec := &operations.Record{Project: r.Project(), Scope: scope, Type: "insert", Kind: "instances",
		Target: plan.name, TargetID: serverID, User: r.Session.UserName, Machine: machineInsertInstance}
	rec.SaveState(insertStateOf(plan, serverID))
	return rec, s.Ops.Create(ctx, rec)
}

func insertStateOf(plan *insertPlan, serverID string) insertState {
	st := insertState{ServerID: serverID, BootDisk: plan.boot.name,
		BootDevice:   orText(plan.boot.deviceName, "persistent-disk-0"),
		BootExisting: plan.boot.volumeID != "", AutoDelete: plan.boot.autoDelete,
		BootDiskData: diskData{Description: plan.boot.description, SourceImage: plan.boot.imageLink,
			Type: plan.boot.diskType}}
	for _, extra := range plan.extra {
		st.Extra = append(st.Extra, extraDiskState{Name: extra.name, Device: extra.deviceName,
			AutoDelete: extra.autoDelete, Existing: extra.volumeID != "", Data: extraDiskData(extra)})
	}
	if plan.access != nil && plan.network != nil {
		st.Access = &accessPlanState{Name: plan.access.name, NatIP: plan.access.natIP,
			NetworkID: plan.network.ID}
	}
	return st
}

func serverSpec(plan *insertPlan) openstack.ServerSpec {
	spec := openstack.ServerSpec{Name: plan.name, FlavorID: plan.flavor.ID, Zone: plan.zone,
		Tags: plan.tags, Metadata: map[string]string{"gce-instance": plan.name}}
	if plan.network != nil {
		spec.NetworkIDs = []string{plan.network.ID}
		spec.FixedIP = plan.fixedIP
	}
	disk := openstack.BootDisk{VolumeID: plan.boot.volumeID, DeleteOnTerm: plan.boot.autoDelete}
	if plan.boot.volumeID == "" {
		disk.ImageID, disk.SizeGB = plan.boot.image.ID, plan.boot.sizeGB
	}
	spec.Disks = []openstack.BootDisk{disk}
	for _, extra := range plan.extra {
		spec.Disks = append(spec.Disks, openstack.BootDisk{VolumeID: extra.volumeID,
			ImageID: extra.imageID, SizeGB: extra.sizeGB, DeleteOnTerm: extra.autoDelete})
	}
	return spec
}

func extraDiskData(extra extraDiskPlan) diskData {
	return diskData{Description: extra.description, SourceImage: extra.imageLink, Type: extra.diskType}
}

// reserveError turns a failed reservation into alreadyExists.
func reserveError(err error, path string) error {
	if errors.Is(err, store.ErrExists) {
		return gce.AlreadyExists(path)
	}
	return err
}

// completeSpec adds the security groups of the firewalls that reach the
// instance and the key pair of its ssh keys.
func (s *Service) completeSpec(ctx context.Context, r *Request, plan *insertPlan, spec *openstack.ServerSpec) error {
	groups, err := s.instanceSecurityGroups(ctx, r, plan)
	if err != nil {
		return err
	}
	spec.SecurityGroups = groups
	key, err := s.instanceKeyName(ctx, r, plan)
	if err != nil {
		return err
	}
	spec.KeyName = key
	return nil
}
