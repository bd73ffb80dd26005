package openstack_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	fakeos "github.com/gce-api/gce-api/fakes/openstack"
	"github.com/gce-api/gce-api/server/openstack"
)

func startCloud(t *testing.T) (*fakeos.Server, openstack.Credentials) {
	t.Helper()
	cloud, err := fakeos.Start("127.0.0.1:0", fakeos.Options{Timings: fakeos.FastTimings()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cloud.Close() })
	return cloud, openstack.Credentials{AuthURL: cloud.AuthURL(), Username: "demo",
		Password: "demo", ProjectName: "demo", RegionName: "RegionOne"}
}

func TestScopeForeignProjectIsForbidden(t *testing.T) {
	_, creds := startCloud(t)
	ctx := context.Background()
	tok, err := openstack.IssueToken(ctx, creds)
	if err != nil {
		t.Fatal(err)
	}
	c := openstack.NewConnector(creds.AuthURL, "")
	for _, project := range []string{"other", "no-such-project"} {
		_, err := c.Scope(ctx, tok.ID, project)
		if !errors.Is(err, openstack.ErrForbidden) || errors.Is(err, openstack.ErrUnauthorized) {
			t.Errorf("Scope(%s) = %v, want only ErrForbidden", project, err)
		}
	}
	if _, err := c.Scope(ctx, "bogus-token", "demo"); !errors.Is(err, openstack.ErrUnauthorized) {
		t.Errorf("Scope with a bogus token = %v, want ErrUnauthorized", err)
	}
}

func TestScopeNoticesRevokedToken(t *testing.T) {
	_, creds := startCloud(t)
	ctx := context.Background()
	tok, err := openstack.IssueToken(ctx, creds)
	if err != nil {
		t.Fatal(err)
	}
	c := openstack.NewConnector(creds.AuthURL, "")
	c.RevalidateEvery = 0
	if _, err := c.Scope(ctx, tok.ID, "demo"); err != nil {
		t.Fatal(err)
	}
	revoke(t, creds.AuthURL, tok.ID)
	if _, err := c.Scope(ctx, tok.ID, "demo"); !errors.Is(err, openstack.ErrUnauthorized) {
		t.Fatalf("Scope after revocation = %v, want ErrUnauthorized", err)
	}
}

func revoke(t *testing.T, authURL, token string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, authURL+"/auth/tokens", nil)
	req.Header.Set("X-Auth-Token", token)
	req.Header.Set("X-Subject-Token", token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("revoke token: status %d", res.StatusCode)
	}
}
