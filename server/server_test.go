package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/oauth2"
	compute "google.golang.org/api/compute/v1"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	fakeos "github.com/gce-api/gce-api/fakes/openstack"
	"github.com/gce-api/gce-api/server"
	"github.com/gce-api/gce-api/server/openstack"
)

const zone = "regionone-a"

type stack struct {
	cloud *fakeos.Server
	creds openstack.Credentials
	token string
}

func newStack(t *testing.T) *stack {
	t.Helper()
	cloud, err := fakeos.Start("127.0.0.1:0", fakeos.Options{Timings: fakeos.FastTimings()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cloud.Close() })
	creds := openstack.Credentials{AuthURL: cloud.AuthURL(), Username: "demo", Password: "demo",
		ProjectName: "demo", RegionName: "RegionOne"}
	tok, err := openstack.IssueToken(context.Background(), creds)
	if err != nil {
		t.Fatal(err)
	}
	return &stack{cloud: cloud, creds: creds, token: tok.ID}
}

// serve starts a gce-api server on state and returns a client for it and a
// function that stops it.
func (s *stack) serve(t *testing.T, state string) (*compute.Service, func()) {
	t.Helper()
	api, err := server.New(context.Background(), server.Config{Credentials: s.creds, StatePath: state})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(api)
	svc, err := compute.NewService(context.Background(), option.WithEndpoint(ts.URL+"/compute/v1/"),
		option.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: s.token})))
	if err != nil {
		t.Fatal(err)
	}
	return svc, func() { ts.Close(); api.Close() }
}

func bootInstance(name string) *compute.Instance {
	return &compute.Instance{Name: name, MachineType: "zones/" + zone + "/machineTypes/e2-small",
		Disks: []*compute.AttachedDisk{{Boot: true, AutoDelete: true, InitializeParams: &compute.AttachedDiskInitializeParams{
			SourceImage: "projects/debian-cloud/global/images/family/debian-12"}}},
		NetworkInterfaces: []*compute.NetworkInterface{{Network: "global/networks/default"}}}
}

func TestRestartKeepsOperationsNamesAndIDs(t *testing.T) {
	s := newStack(t)
	state := filepath.Join(t.TempDir(), "state.db")
	ctx := context.Background()

	svc, stop := s.serve(t, state)
	op, err := svc.Instances.Insert("demo", zone, bootInstance("keep")).Do()
	if err != nil {
		t.Fatal(err)
	}
	stop()

	svc, stop = s.serve(t, state)
	defer stop()
	done, err := svc.ZoneOperations.Wait("demo", zone, op.Name).Context(ctx).Do()
	if err != nil {
		t.Fatalf("wait after restart: %v", err)
	}
	if done.Status != "DONE" || done.Error != nil {
		t.Fatalf("operation after restart: status %s, error %+v", done.Status, done.Error)
	}
	inst, err := svc.Instances.Get("demo", zone, "keep").Do()
	if err != nil {
		t.Fatal(err)
	}
	if inst.Id != op.TargetId {
		t.Errorf("instance id %d, operation targetId %d", inst.Id, op.TargetId)
	}
	_, err = svc.Instances.Insert("demo", zone, bootInstance("keep")).Do()
	var gerr *googleapi.Error
	if !errors.As(err, &gerr) || gerr.Code != http.StatusConflict {
		t.Fatalf("second insert after restart: %v, want 409", err)
	}
	delOp, err := svc.Instances.Delete("demo", zone, "keep").Do()
	if err != nil {
		t.Fatal(err)
	}
	waitDone(t, svc, delOp.Name)
}

func waitDone(t *testing.T, svc *compute.Service, name string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		op, err := svc.ZoneOperations.Wait("demo", zone, name).Do()
		if err != nil {
			t.Fatal(err)
		}
		if op.Status == "DONE" {
			return
		}
	}
	t.Fatalf("operation %s not DONE after a minute", name)
}

func TestIDsSurviveAnotherPublicURL(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	svc1, stop1 := s.serve(t, "")
	defer stop1()
	svc2, stop2 := s.serve(t, "")
	defer stop2()
	a, err := svc1.Zones.Get("demo", zone).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	b, err := svc2.Zones.Get("demo", zone).Context(ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	if a.Id != b.Id {
		t.Errorf("zone id differs between servers: %d and %d", a.Id, b.Id)
	}
	if a.SelfLink == b.SelfLink {
		t.Errorf("both servers gave the same selfLink %s; want each its own host", a.SelfLink)
	}
}

func TestDiscoveryDocumentPointsAtServer(t *testing.T) {
	s := newStack(t)
	api, err := server.New(context.Background(), server.Config{Credentials: s.creds})
	if err != nil {
		t.Fatal(err)
	}
	defer api.Close()
	ts := httptest.NewServer(api)
	defer ts.Close()
	res, err := http.Get(ts.URL + "/discovery/v1/apis/compute/v1/rest")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var doc struct {
		RootURL     string `json:"rootUrl"`
		ServicePath string `json:"servicePath"`
		BatchPath   string `json:"batchPath"`
		Resources   map[string]any
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.RootURL != ts.URL+"/" || doc.ServicePath != "compute/v1/" || doc.BatchPath != "batch/compute/v1" {
		t.Errorf("rootUrl %q servicePath %q batchPath %q", doc.RootURL, doc.ServicePath, doc.BatchPath)
	}
	if _, ok := doc.Resources["instances"]; !ok {
		t.Error("no instances resource in the discovery document")
	}
}
