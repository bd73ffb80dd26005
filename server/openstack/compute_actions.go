package openstack

import (
	"context"
	"net/http"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/keypairs"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/volumeattach"
)

// Keypair is a Nova key pair of the session's user.
type Keypair struct {
	Name        string
	PublicKey   string
	Fingerprint string
}

// AttachVolume attaches a volume to a server through Nova's
// os-volume_attachments and returns the device Nova chose. Cinder shows the
// volume reserved, then attaching, then in-use.
func (s *Session) AttachVolume(ctx context.Context, serverID, volumeID string, deleteOnTerm bool) (string, error) {
	sc, err := s.service("compute")
	if err != nil {
		return "", err
	}
	opts := volumeattach.CreateOpts{VolumeID: volumeID, DeleteOnTermination: deleteOnTerm}
	a, err := volumeattach.Create(ctx, sc, serverID, opts).Extract()
	if err != nil {
		return "", wrapErr("attach volume "+volumeID+" to server "+serverID, err)
	}
	return a.Device, nil
}

// DetachVolume starts detaching a volume from a server. Cinder shows the
// volume detaching, then available.
func (s *Session) DetachVolume(ctx context.Context, serverID, volumeID string) error {
	sc, err := s.service("compute")
	if err != nil {
		return err
	}
	err = volumeattach.Delete(ctx, sc, serverID, volumeID).ExtractErr()
	return wrapErr("detach volume "+volumeID+" from server "+serverID, err)
}

// Keypairs lists the key pairs of the session's user.
func (s *Session) Keypairs(ctx context.Context) ([]Keypair, error) {
	sc, err := s.service("compute")
	if err != nil {
		return nil, err
	}
	pages, err := keypairs.List(sc, nil).AllPages(ctx)
	if err != nil {
		return nil, wrapErr("list key pairs", err)
	}
	list, err := keypairs.ExtractKeyPairs(pages)
	if err != nil {
		return nil, wrapErr("list key pairs", err)
	}
	out := make([]Keypair, 0, len(list))
	for _, k := range list {
		out = append(out, Keypair{Name: k.Name, PublicKey: k.PublicKey, Fingerprint: k.Fingerprint})
	}
	return out, nil
}

// ImportKeypair stores an OpenSSH public key as a key pair of the session's
// user. The call returns ErrConflict when the name is taken and ErrInvalid for
// a key it cannot parse.
func (s *Session) ImportKeypair(ctx context.Context, name, publicKey string) error {
	sc, err := s.service("compute")
	if err != nil {
		return err
	}
	opts := keypairs.CreateOpts{Name: name, PublicKey: publicKey, Type: "ssh"}
	_, err = keypairs.Create(ctx, sc, opts).Extract()
	return wrapErr("import key pair "+name, err)
}

// DeleteKeypair deletes a key pair of the session's user; one already gone
// is no error.
func (s *Session) DeleteKeypair(ctx context.Context, name string) error {
	sc, err := s.service("compute")
	if err != nil {
		return err
	}
	err = keypairs.Delete(ctx, sc, name, nil).ExtractErr()
	if gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		return nil
	}
	return wrapErr("delete key pair "+name, err)
}
