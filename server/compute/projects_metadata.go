package compute

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"regexp"
	"strings"

	"golang.org/x/crypto/ssh"
	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/operations"
	"github.com/gce-api/gce-api/server/store"
)

var keypairUnsafeRE = regexp.MustCompile(`[^a-zA-Z0-9_-]`)

// sshKey is one line of an ssh-keys or sshKeys metadata value:
// "user:ssh-rsa AAAA... comment".
type sshKey struct {
	User      string
	PublicKey string // the authorized_keys form, without the user
}

func (s *Service) setCommonInstanceMetadata(ctx context.Context, r *Request) Response {
	var body compute.Metadata
	if err := decodeBody(r.Body, &body); err != nil {
		return Fail(err)
	}
	current, err := s.projectMetadata(ctx, r.Project())
	if err != nil {
		return Fail(err)
	}
	if err := checkFingerprint(body.Fingerprint, current.view().Fingerprint); err != nil {
		return Fail(err)
	}
	keys, err := checkMetadataItems(body.Items)
	if err != nil {
		return Fail(err)
	}
	if err := s.syncProjectKeypairs(ctx, r.Session, r.Project(), keys); err != nil {
		return Fail(apiError(err, ""))
	}
	if err := s.storeProjectMetadata(ctx, r.Project(), metadata{Items: body.Items}); err != nil {
		return Fail(err)
	}
	op := &operations.Record{Project: r.Project(), Scope: "global", Type: "setMetadata",
		Kind: "projects", Target: r.Project(), TargetID: r.Session.ProjectID, User: r.Session.UserName}
	if err := s.Ops.Create(ctx, op); err != nil {
		return Fail(err)
	}
	return OK(op.View(r.Links))
}

// checkFingerprint compares a fingerprint a client sent back with the
// current one after base64 decoding, so that the URL-safe alphabet gcloud
// sends back ("-_" for "+/") matches too.
func checkFingerprint(sent, current string) error {
	got, err := decodeFingerprint(sent)
	if err != nil {
		return gce.InvalidField("fingerprint", sent, "Fingerprints are base64 strings as returned by a get.")
	}
	want, _ := decodeFingerprint(current)
	if !bytes.Equal(got, want) {
		return gce.ConditionNotMet("Supplied fingerprint does not match current metadata fingerprint.")
	}
	return nil
}

func decodeFingerprint(text string) ([]byte, error) {
	std := strings.NewReplacer("-", "+", "_", "/").Replace(text)
	if data, err := base64.StdEncoding.DecodeString(std); err == nil {
		return data, nil
	}
	return base64.RawStdEncoding.DecodeString(std)
}

// checkMetadataItems validates the items and their sizes and returns the
// ssh keys of the ssh-keys and sshKeys items.
func checkMetadataItems(items []*compute.MetadataItems) ([]sshKey, error) {
	if err := checkMetadata("metadata", items); err != nil {
		return nil, err
	}
	return sshKeysOf(items)
}

// sshKeysOf parses the ssh-keys item, then the legacy sshKeys item. It
// skips blank lines, and every other line must be "user:<OpenSSH public key>".
func sshKeysOf(items []*compute.MetadataItems) ([]sshKey, error) {
	var keys []sshKey
	for _, name := range []string{"ssh-keys", "sshKeys"} {
		value := metadataItem(items, name)
		for _, line := range strings.Split(value, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			key, err := parseSSHKey(name, line)
			if err != nil {
				return nil, err
			}
			keys = append(keys, key)
		}
	}
	return keys, nil
}

func metadataItem(items []*compute.MetadataItems, key string) string {
	for _, item := range items {
		if item != nil && item.Key == key && item.Value != nil {
			return *item.Value
		}
	}
	return ""
}

func parseSSHKey(item, line string) (sshKey, error) {
	user, key, ok := strings.Cut(line, ":")
	if !ok || user == "" {
		return sshKey{}, gce.InvalidField("metadata."+item, line,
			"Each line must be 'user:ssh-rsa AAAA... comment'.")
	}
	if _, _, _, _, err := ssh.ParseAuthorizedKey([]byte(key)); err != nil {
		return sshKey{}, gce.InvalidField("metadata."+item, line,
			"The text after 'user:' is not an OpenSSH public key: "+err.Error())
	}
	return sshKey{User: user, PublicKey: strings.TrimSpace(key)}, nil
}

// keypairPrefix returns the start of the name of every Nova key pair made
// for the ssh keys of project.
func keypairPrefix(project string) string {
	clean := keypairUnsafeRE.ReplaceAllString(project, "_")
	return "gce-" + clean + "-"
}

// keypairName returns the name of the key pair of one public key: the
// prefix and a digest of the key type and data, so the same key always
// maps to the same pair whatever its comment.
func keypairName(project string, key sshKey) string {
	sum := sha256.Sum256([]byte(strings.Join(strings.Fields(key.PublicKey)[:2], " ")))
	return keypairPrefix(project) + hex.EncodeToString(sum[:8])
}

// syncProjectKeypairs makes the session user's key pairs of project match
// keys: it imports the missing ones and deletes those of keys no longer
// listed.
//
// NOTE: Nova key pairs belong to a user, not a project. Key pairs made for
// another user of the project stay until that user changes the metadata.
// Instance inserts import the key pair they need for their caller.
func (s *Service) syncProjectKeypairs(ctx context.Context, sess *openstack.Session, project string, keys []sshKey) error {
	wanted := map[string]sshKey{}
	for _, k := range keys {
		wanted[keypairName(project, k)] = k
	}
	existing, err := sess.Keypairs(ctx)
	if err != nil {
		return err
	}
	for _, kp := range existing {
		if !strings.HasPrefix(kp.Name, keypairPrefix(project)) {
			continue
		}
		if _, keep := wanted[kp.Name]; keep {
			delete(wanted, kp.Name)
			continue
		}
		if err := sess.DeleteKeypair(ctx, kp.Name); err != nil {
			return err
		}
	}
	for name, k := range wanted {
		if err := importKeypair(ctx, sess, name, k); err != nil {
			return err
		}
	}
	return nil
}

// importKeypair imports k as name. A pair of that name exists already when
// the same key was imported before, which is no error.
func importKeypair(ctx context.Context, sess *openstack.Session, name string, k sshKey) error {
	err := sess.ImportKeypair(ctx, name, k.PublicKey)
	if errors.Is(err, openstack.ErrConflict) {
		return nil
	}
	return err
}

func (s *Service) storeProjectMetadata(ctx context.Context, project string, m metadata) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	rec := store.Resource{Project: project, Scope: "global", Kind: "projects", Name: project, Data: data}
	err = s.Store.Reserve(ctx, rec)
	if errors.Is(err, store.ErrExists) {
		existing, getErr := s.Store.Resource(ctx, project, "global", "projects", project)
		if getErr != nil {
			return getErr
		}
		existing.Data = data
		return s.Store.UpdateResource(ctx, existing)
	}
	return err
}
