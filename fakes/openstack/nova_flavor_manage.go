package openstack

import (
	"net/http"
	"slices"
)

// flavorFields is the body of a flavor create (os-flavor-manage).
type flavorFields struct {
	Name  string `json:"name"`
	ID    string `json:"id"`
	RAM   int    `json:"ram"`
	VCPUs int    `json:"vcpus"`
	Disk  int    `json:"disk"`
}

// createFlavor adds a flavor. Only the admin role may, as Nova's default
// policy os_compute_api:os-flavor-manage:create has it.
func createFlavor(cl *call) reply {
	if !cl.tok.isAdmin() {
		return cl.fail(http.StatusForbidden, "", "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.")
	}
	var req struct {
		Flavor *flavorFields `json:"flavor"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	f := req.Flavor
	if f == nil || f.Name == "" || f.RAM < 1 || f.VCPUs < 1 {
		return cl.fail(http.StatusBadRequest, "", "Invalid input for field/attribute flavor. 'name', 'ram' and 'vcpus' are required and ram and vcpus must be at least 1.")
	}
	for _, old := range cl.c.flavors {
		if old.Name == f.Name {
			return cl.fail(http.StatusConflict, "", "Flavor with name %s already exists.", f.Name)
		}
	}
	if f.ID == "" || f.ID == "auto" {
		f.ID = newUUID()
	}
	if cl.c.flavorByID(f.ID) != nil {
		return cl.fail(http.StatusConflict, "", "Flavor with ID %s already exists.", f.ID)
	}
	created := &flavor{ID: f.ID, Name: f.Name, VCPUs: f.VCPUs, RAM: f.RAM, Disk: f.Disk}
	cl.c.flavors = append(cl.c.flavors, created)
	return respond(http.StatusOK, map[string]any{"flavor": cl.flavorBody(created)})
}

// deleteFlavor removes a flavor. Servers keep the copy of the flavor they
// were built with, so their embedded flavor (2.47+) does not change.
func deleteFlavor(cl *call) reply {
	if !cl.tok.isAdmin() {
		return cl.fail(http.StatusForbidden, "", "Policy doesn't allow os_compute_api:os-flavor-manage:delete to be performed.")
	}
	i := slices.IndexFunc(cl.c.flavors, func(f *flavor) bool { return f.ID == cl.vars["id"] })
	if i < 0 {
		return cl.fail(http.StatusNotFound, "", "Flavor %s could not be found.", cl.vars["id"])
	}
	cl.c.flavors = slices.Delete(cl.c.flavors, i, i+1)
	return empty(http.StatusAccepted)
}
