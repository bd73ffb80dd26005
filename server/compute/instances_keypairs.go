package compute

import (
	"context"

	"github.com/gce-api/gce-api/server/openstack"
)

// releaseInstanceKeypair deletes the Nova key pair made for an instance's
// own ssh-keys once the instance is gone, unless the project metadata or
// another instance of the project still uses that key.
//
// NOTE: Nova key pairs belong to a user, and the pair deleted is the one of
// the session's user, which is the instance's creator unless another user
// of the project advances the delete operation.
func (s *Service) releaseInstanceKeypair(ctx context.Context, sess *openstack.Session, project, scope, name string) error {
	rec, err := s.Store.Resource(ctx, project, scope, "instances", name)
	if err != nil {
		return nil
	}
	keys, err := sshKeysOf(loadInstanceData(rec).Metadata)
	if err != nil || len(keys) == 0 {
		return nil
	}
	keypair := keypairName(project, keys[0])
	inUse, err := s.keypairInUse(ctx, project, keypair, rec.OpenStackID)
	if err != nil || inUse {
		return err
	}
	return sess.DeleteKeypair(ctx, keypair)
}

// keypairInUse reports whether the project metadata or an instance other
// than the one on server exceptServer uses the key pair named keypair.
func (s *Service) keypairInUse(ctx context.Context, project, keypair, exceptServer string) (bool, error) {
	md, err := s.projectMetadata(ctx, project)
	if err != nil {
		return false, err
	}
	projectKeys, _ := sshKeysOf(md.Items)
	for _, k := range projectKeys {
		if keypairName(project, k) == keypair {
			return true, nil
		}
	}
	others, err := s.Store.Resources(ctx, project, "", "instances")
	if err != nil {
		return false, err
	}
	for _, other := range others {
		if other.OpenStackID == exceptServer {
			continue
		}
		keys, _ := sshKeysOf(loadInstanceData(other).Metadata)
		if len(keys) > 0 && keypairName(project, keys[0]) == keypair {
			return true, nil
		}
	}
	return false, nil
}
