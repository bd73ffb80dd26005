package openstack

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/google/uuid"
)

type bdmRequest struct {
	BootIndex           *int   `json:"boot_index"`
	UUID                string `json:"uuid"`
	SourceType          string `json:"source_type"`
	DestinationType     string `json:"destination_type"`
	VolumeSize          int    `json:"volume_size"`
	DeleteOnTermination bool   `json:"delete_on_termination"`
}

type networkRequest struct {
	UUID    string `json:"uuid"`
	Port    string `json:"port"`
	FixedIP string `json:"fixed_ip"`
}

type serverRequest struct {
	Name             *string                 `json:"name"`
	FlavorRef        string                  `json:"flavorRef"`
	ImageRef         string                  `json:"imageRef"`
	Networks         json.RawMessage         `json:"networks"`
	BlockDevices     []bdmRequest            `json:"block_device_mapping_v2"`
	SecurityGroups   []struct{ Name string } `json:"security_groups"`
	Metadata         map[string]any          `json:"metadata"`
	KeyName          string                  `json:"key_name"`
	AvailabilityZone string                  `json:"availability_zone"`
	Tags             []string                `json:"tags"`
	Description      *string                 `json:"description"`
	AdminPass        string                  `json:"adminPass"`
}

// serverPlan is a validated create request.
type serverPlan struct {
	s        *server
	networks []networkRequest
	bdms     []bdmRequest
}

func createServer(cl *call) reply {
	var req struct {
		Server *serverRequest `json:"server"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Server == nil {
		return cl.fail(http.StatusBadRequest, "", "Invalid input for field/attribute server. 'server' is a required property")
	}
	plan, rep, ok := cl.planServer(req.Server)
	if !ok {
		return rep
	}
	if rep, ok := cl.buildServer(plan); !ok {
		return rep
	}
	s := plan.s
	rep = respond(http.StatusAccepted, map[string]any{"server": map[string]any{
		"id": s.ID, "links": cl.novaLinks("servers", s.ID), "OS-DCF:diskConfig": "MANUAL",
		"security_groups": securityGroupNames(s.SecurityGroups), "adminPass": s.AdminPass}})
	rep.header = map[string]string{"Location": cl.base + "/compute/v2.1/servers/" + s.ID}
	return rep
}

// planServer validates the request in the order Nova does and returns the
// server in BUILD, not yet stored.
func (cl *call) planServer(r *serverRequest) (*serverPlan, reply, bool) {
	bad := func(format string, args ...any) (*serverPlan, reply, bool) {
		return nil, cl.fail(http.StatusBadRequest, "", format, args...), false
	}
	if r.Name == nil || *r.Name == "" {
		return bad("Invalid input for field/attribute server. 'name' is a required property")
	}
	if r.FlavorRef == "" {
		return bad("Invalid input for field/attribute server. 'flavorRef' is a required property")
	}
	if len(r.Tags) > 0 && cl.mv < 52 {
		return bad("Invalid input for field/attribute server. Additional properties are not allowed ('tags' was unexpected)")
	}
	meta, msg := stringMetadata(r.Metadata)
	if msg != "" {
		return bad("%s", msg)
	}
	networks, msg := cl.parseNetworks(r.Networks)
	if msg != "" {
		return bad("%s", msg)
	}
	s := &server{ID: uuid.NewString(), Name: *r.Name, ProjectID: cl.tok.projectID(), UserID: cl.tok.User.ID,
		Metadata: meta, Tags: append([]string{}, r.Tags...), Created: cl.now, Updated: cl.now,
		Status: "BUILD", TaskState: "scheduling", VMState: "building", AdminPass: r.AdminPass,
		KeyName: r.KeyName, Description: *r.Name}
	setString(&s.Description, r.Description)
	if s.AdminPass == "" {
		s.AdminPass = uuid.NewString()[:12]
	}
	if msg := cl.checkServerRefs(s, r); msg != "" {
		return bad("%s", msg)
	}
	return &serverPlan{s: s, networks: networks, bdms: r.BlockDevices}, reply{}, true
}

// stringMetadata returns metadata whose values must all be strings.
func stringMetadata(in map[string]any) (map[string]string, string) {
	out := map[string]string{}
	for k, v := range in {
		str, ok := v.(string)
		if !ok {
			return nil, fmt.Sprintf("Invalid input for field/attribute %s. Value: %v. %v is not of type 'string'", k, v, v)
		}
		out[k] = str
	}
	return out, ""
}

// parseNetworks accepts a list of {uuid|port|fixed_ip}, or "auto" and
// "none" from 2.37, where the field also becomes required.
func (cl *call) parseNetworks(raw json.RawMessage) ([]networkRequest, string) {
	if len(raw) == 0 {
		if cl.mv >= 37 {
			return nil, "Invalid input for field/attribute server. 'networks' is a required property"
		}
		return []networkRequest{{}}, ""
	}
	var word string
	if json.Unmarshal(raw, &word) == nil {
		if cl.mv < 37 || (word != "auto" && word != "none") {
			return nil, fmt.Sprintf("Invalid input for field/attribute networks. Value: %s. %s is not of type 'array'", word, word)
		}
		if word == "none" {
			return nil, ""
		}
		return []networkRequest{{}}, ""
	}
	var list []networkRequest
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, "Invalid input for field/attribute networks. Value: " + string(raw) + ". It is not of type 'array'"
	}
	return list, ""
}

// checkServerRefs resolves the flavor, image, key pair, zone and security
// groups, returning Nova's 400 message for the first that is invalid.
func (cl *call) checkServerRefs(s *server, r *serverRequest) string {
	f := cl.c.flavorByID(r.FlavorRef)
	if f == nil {
		return fmt.Sprintf("Flavor %s could not be found.", r.FlavorRef)
	}
	s.FlavorID, s.Flavor = f.ID, *f
	if msg := cl.checkBootSource(s, r); msg != "" {
		return msg
	}
	if r.KeyName != "" && cl.c.keypairs[keypairKey(cl.tok.User.ID, r.KeyName)] == nil {
		return "Invalid key_name provided."
	}
	s.AZ = cl.c.zones[0]
	if r.AvailabilityZone != "" {
		if !slices.Contains(cl.c.zones, r.AvailabilityZone) {
			return "The requested availability zone is not available"
		}
		s.AZ = r.AvailabilityZone
	}
	return cl.resolveGroups(s, r)
}

func (cl *call) checkBootSource(s *server, r *serverRequest) string {
	if r.ImageRef != "" {
		img := cl.c.images[r.ImageRef]
		if img == nil || !cl.imageVisible(img) || img.Status != "active" {
			return "Can not find requested image"
		}
		s.ImageID = img.ID
	}
	for _, b := range r.BlockDevices {
		if b.DestinationType != "" && b.DestinationType != "volume" {
			return "Block Device Mapping is Invalid: destination_type must be volume."
		}
		if msg := cl.checkBDM(b); msg != "" {
			return msg
		}
	}
	if s.ImageID == "" && !slices.ContainsFunc(r.BlockDevices, isBootDevice) {
		return "Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid."
	}
	if slices.ContainsFunc(r.BlockDevices, isBootDevice) {
		s.ImageID = ""
	}
	return ""
}

func isBootDevice(b bdmRequest) bool { return b.BootIndex != nil && *b.BootIndex == 0 }

func (cl *call) checkBDM(b bdmRequest) string {
	switch b.SourceType {
	case "image":
		img := cl.c.images[b.UUID]
		if img == nil || !cl.imageVisible(img) || img.Status != "active" {
			return fmt.Sprintf("Image %s could not be found.", b.UUID)
		}
		if b.VolumeSize != 0 && b.VolumeSize < img.MinDisk {
			return fmt.Sprintf("Volume is smaller than the minimum size specified in image metadata. Volume size is %d bytes, minimum size is %d bytes.", b.VolumeSize<<30, img.MinDisk<<30)
		}
	case "volume":
		v := cl.c.volumes[b.UUID]
		if v == nil || !cl.visible(v.ProjectID) {
			return fmt.Sprintf("Block Device Mapping is Invalid: failed to get volume %s.", b.UUID)
		}
		if v.Status != "available" {
			return fmt.Sprintf("Block Device Mapping is Invalid: Volume %s status must be available, but current status is: %s.", v.ID, v.Status)
		}
	case "blank":
		if b.VolumeSize <= 0 {
			return "Block Device Mapping is Invalid: You specified more local devices than the limit allows"
		}
	default:
		return fmt.Sprintf("Block Device Mapping is Invalid: source_type %q is not one of image, volume, blank.", b.SourceType)
	}
	return ""
}

func (cl *call) resolveGroups(s *server, r *serverRequest) string {
	names := []string{"default"}
	if len(r.SecurityGroups) > 0 {
		names = nil
		for _, g := range r.SecurityGroups {
			names = append(names, g.Name)
		}
	}
	for _, n := range names {
		if cl.c.groupByNameOrID(s.ProjectID, n) == nil {
			return fmt.Sprintf("Security group %s not found for project %s.", n, s.ProjectID)
		}
	}
	s.SecurityGroups = names
	return ""
}

func (c *Cloud) groupByNameOrID(projectID, ref string) *securityGroup {
	if g := c.secGroups[ref]; g != nil && g.ProjectID == projectID {
		return g
	}
	for _, g := range c.secGroups {
		if g.ProjectID == projectID && g.Name == ref {
			return g
		}
	}
	return nil
}
