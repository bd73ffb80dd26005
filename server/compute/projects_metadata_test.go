package compute

import (
	"errors"
	"net/http"
	"testing"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
)

func TestCheckFingerprint(t *testing.T) {
	const current = "+++//wAAAAQ="
	cases := []struct {
		sent string
		want int // HTTP status of the error, 0 for none
	}{
		{current, 0},
		{"---__wAAAAQ=", 0},
		{"---__wAAAAQ", 0},
		{"AAAAAAAAAAA=", http.StatusPreconditionFailed},
		{"", http.StatusPreconditionFailed},
		{"not base64!", http.StatusBadRequest},
	}
	for _, c := range cases {
		err := checkFingerprint(c.sent, current)
		var apiErr *gce.Error
		switch {
		case c.want == 0 && err != nil:
			t.Errorf("fingerprint %q: unexpected error %v", c.sent, err)
		case c.want != 0 && (!errors.As(err, &apiErr) || apiErr.Code != c.want):
			t.Errorf("fingerprint %q: error %v, want HTTP %d", c.sent, err, c.want)
		}
	}
}

func TestSSHKeysOf(t *testing.T) {
	key := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGSn1Bsbj+SV3aMPWbrVA8wQS5GUkJFK+H0l3wqWpyGk"
	value := "alice:" + key + " alice@host\n\nbob:" + key
	keys, err := sshKeysOf([]*compute.MetadataItems{{Key: "ssh-keys", Value: &value}})
	if err != nil {
		t.Fatalf("sshKeysOf: %v", err)
	}
	if len(keys) != 2 || keys[0].User != "alice" || keys[1].User != "bob" {
		t.Errorf("keys = %+v, want alice and bob", keys)
	}
	if keypairName("p", keys[0]) != keypairName("p", keys[1]) {
		t.Errorf("one public key with two comments got two key pair names")
	}
	for _, bad := range []string{"no-user-" + key, "carol:ssh-rsa not-a-key"} {
		if _, err := sshKeysOf([]*compute.MetadataItems{{Key: "sshKeys", Value: &bad}}); err == nil {
			t.Errorf("line %q: no error", bad)
		}
	}
}

func TestDeviceLess(t *testing.T) {
	if !deviceLess("/dev/vdz", "/dev/vdaa") || deviceLess("/dev/vdc", "/dev/vdb") {
		t.Errorf("deviceLess does not order devices as Nova names them")
	}
}
