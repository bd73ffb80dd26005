package compute

import (
	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
)

// unsupported reports a request field this server cannot honour on
// OpenStack. The request fails with 400 rather than drop the field.
func unsupported(field, why string) error {
	return gce.Invalid("Field 'resource.%s' is not supported by this server: %s.", field, why)
}

// rejectUnsupported returns a 400 error for instance fields that OpenStack cannot
// express, so that no request succeeds while silently dropping what it asked.
func rejectUnsupported(body *compute.Instance) error {
	checks := []struct {
		set   bool
		field string
		why   string
	}{
		{len(body.GuestAccelerators) > 0, "guestAccelerators", "OpenStack flavors carry accelerators, not requests"},
		{body.MinCpuPlatform != "" && body.MinCpuPlatform != "Automatic", "minCpuPlatform", "Nova does not select CPU platforms per server"},
		{body.Hostname != "", "hostname", "Nova names the guest after the instance"},
		{body.CanIpForward, "canIpForward", "Neutron port security drops forwarded traffic"},
		{shielded(body.ShieldedInstanceConfig), "shieldedInstanceConfig", "Nova has no shielded VM settings"},
		{body.ConfidentialInstanceConfig != nil && body.ConfidentialInstanceConfig.EnableConfidentialCompute, "confidentialInstanceConfig", "Nova has no confidential computing settings"},
		{len(body.ResourcePolicies) > 0, "resourcePolicies", "resource policies are not built"},
		{body.SourceMachineImage != "", "sourceMachineImage", "machine images are not built"},
		{preemptible(body.Scheduling), "scheduling", "Nova has no preemptible or spot servers"},
	}
	for _, c := range checks {
		if c.set {
			return unsupported(c.field, c.why)
		}
	}
	return nil
}

func shielded(c *compute.ShieldedInstanceConfig) bool {
	return c != nil && (c.EnableSecureBoot || c.EnableVtpm || c.EnableIntegrityMonitoring)
}

func preemptible(s *compute.Scheduling) bool {
	return s != nil && (s.Preemptible || s.ProvisioningModel == "SPOT")
}

// checkNewDisk checks the name, size and description of a disk that an
// instance insert creates from initializeParams at field.
func checkNewDisk(field, name string, p *compute.AttachedDiskInitializeParams) error {
	if err := gce.CheckName(field+".diskName", name); err != nil {
		return err
	}
	if p.DiskSizeGb != 0 {
		if err := checkDiskSize(field+".diskSizeGb", p.DiskSizeGb); err != nil {
			return err
		}
	}
	return checkDescription(field+".description", p.Description)
}
