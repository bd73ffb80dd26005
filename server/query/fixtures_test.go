package query

import (
	"testing"

	compute "google.golang.org/api/compute/v1"
)

const base = "https://compute.example.test/compute/v1/projects/p/"

// instances are web-1 (labels env=prod) and db-1 (labels owner=prod).
func instances() []*compute.Instance {
	return []*compute.Instance{
		{
			Name:              "web-1",
			Id:                1001,
			Labels:            map[string]string{"env": "prod"},
			Status:            "RUNNING",
			Zone:              base + "zones/regionone-a",
			CreationTimestamp: "2023-12-31T20:00:00.000-08:00",
			Scheduling:        &compute.Scheduling{Preemptible: true},
			Tags:              &compute.Tags{Items: []string{"web", "http"}},
			NetworkInterfaces: []*compute.NetworkInterface{
				{NetworkIP: "10.0.0.2", Network: base + "global/networks/default"},
			},
		},
		{
			Name:              "db-1",
			Id:                1002,
			Labels:            map[string]string{"owner": "prod"},
			Status:            "TERMINATED",
			Zone:              base + "zones/regionone-b",
			CreationTimestamp: "2023-06-01T00:00:00Z",
			Tags:              &compute.Tags{Items: []string{"db"}},
			NetworkInterfaces: []*compute.NetworkInterface{
				{NetworkIP: "10.0.1.2", Network: base + "global/networks/backend"},
				{NetworkIP: "10.0.0.3", Network: base + "global/networks/default"},
			},
		},
	}
}

func firewalls() []*compute.Firewall {
	return []*compute.Firewall{
		{Name: "fw1", Network: base + "global/networks/default", Priority: 1000},
		{Name: "fw2", Network: base + "global/networks/default", Priority: 900},
		{Name: "fw3", Network: base + "global/networks/default-2", Priority: 1000},
		{Name: "fw20", Network: base + "global/networks/other", Priority: 1000},
	}
}

func networks() []*compute.Network {
	return []*compute.Network{
		{Name: "default", AutoCreateSubnetworks: true},
		{Name: "custom"},
		{Name: "undefault", AutoCreateSubnetworks: true},
	}
}

func zones() []*compute.Zone {
	return []*compute.Zone{
		{Name: "us-central1-a", Region: base + "regions/us-central1", Status: "UP"},
		{Name: "us-central1-b", Region: base + "regions/us-central1", Status: "DOWN"},
		{Name: "us-central10-a", Region: base + "regions/us-central10", Status: "UP"},
		{Name: "europe-west1-b", Region: base + "regions/europe-west1", Status: "UP"},
	}
}

// matchingNames returns the names of the items the filter matches, in input order.
func matchingNames[T any](t *testing.T, f Filter, items []T) []string {
	t.Helper()
	names := []string{}
	for _, item := range items {
		object, err := jsonObject(item)
		if err != nil {
			t.Fatalf("jsonObject: %v", err)
		}
		if f.Match(object) {
			names = append(names, object["name"].(string))
		}
	}
	return names
}
