package framework

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestInventoryDiffCountsCopies(t *testing.T) {
	baseline := map[string][]string{
		"ports":    {"p1", "p1"},
		"networks": {"default", "public"},
	}
	now := map[string][]string{
		"ports":           {"p1", "p1", "p1", "p2"},
		"networks":        {"default"},
		"security-groups": {"x"},
	}
	leaked, missing := InventoryDiff(baseline, now, nil)
	want := []string{"ports/p1", "ports/p2", "security-groups/x"}
	if fmt.Sprint(leaked) != fmt.Sprint(want) {
		t.Errorf("leaked = %v, want %v", leaked, want)
	}
	if fmt.Sprint(missing) != "[networks/public]" {
		t.Errorf("missing = %v, want [networks/public]", missing)
	}
}

func TestInventoryDiffEqual(t *testing.T) {
	inv := map[string][]string{"servers": {"a", "b"}, "volumes": nil}
	leaked, missing := InventoryDiff(inv, map[string][]string{"servers": {"b", "a"}}, nil)
	if len(leaked) != 0 || len(missing) != 0 {
		t.Errorf("InventoryDiff of equal inventories = %v, %v", leaked, missing)
	}
}

func TestLeakExceptionsAllowOnlyDocumentedObjects(t *testing.T) {
	baseline := map[string][]string{"networks": {"default", "public"}}
	now := map[string][]string{
		"networks":        {"default", "public"},
		"security-groups": {"default.egress", "cft-a-net-1.egress", "default"},
		"ports":           {"default.egress"},
		"keypairs":        {"gce-demo-0123456789abcdef", "gce-other-0123456789abcdef", "mykey"},
	}
	leaked, _ := InventoryDiff(baseline, now, leakExceptions(baseline, "demo"))
	want := []string{"keypairs/gce-demo-0123456789abcdef", "keypairs/gce-other-0123456789abcdef",
		"keypairs/mykey", "ports/default.egress",
		"security-groups/cft-a-net-1.egress", "security-groups/default"}
	if fmt.Sprint(leaked) != fmt.Sprint(want) {
		t.Errorf("leaked = %v, want %v", leaked, want)
	}
}

func TestWaitInventoryBaselineListsLeaks(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	inventory := func() map[string][]string { return map[string][]string{"servers": {"cft-a-vm-1"}} }
	err := WaitInventoryBaseline(ctx, inventory, map[string][]string{"volumes": {"v"}}, nil)
	if err == nil {
		t.Fatal("WaitInventoryBaseline accepted a leaked server")
	}
	for _, want := range []string{"servers/cft-a-vm-1", "volumes/v"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

func TestNormalizeEndpoint(t *testing.T) {
	want := "http://127.0.0.1:8787/compute/v1/"
	for _, in := range []string{
		"http://127.0.0.1:8787/compute/v1/",
		"http://127.0.0.1:8787/compute/v1",
		"http://127.0.0.1:8787",
		"http://127.0.0.1:8787/",
	} {
		if got, err := NormalizeEndpoint(in); err != nil || got != want {
			t.Errorf("NormalizeEndpoint(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if got, _ := NormalizeEndpoint("https://h/gce/compute/v1"); got != "https://h/gce/compute/v1/" {
		t.Errorf("NormalizeEndpoint kept no path prefix: %q", got)
	}
	for _, bad := range []string{"", "127.0.0.1:8787/compute/v1", "ftp://h/compute/v1/"} {
		if _, err := NormalizeEndpoint(bad); err == nil {
			t.Errorf("NormalizeEndpoint(%q) returned no error", bad)
		}
	}
}
