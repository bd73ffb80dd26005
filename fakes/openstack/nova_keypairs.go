package openstack

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"net/http"
	"sort"
	"strings"

	"github.com/gorilla/mux"
	"golang.org/x/crypto/ssh"
)

func (c *Cloud) keypairRoutes(rt *mux.Router) {
	c.handle(rt, svcCompute, "GET", "/v2.1/os-keypairs", listKeypairs)
	c.handle(rt, svcCompute, "POST", "/v2.1/os-keypairs", createKeypair)
	c.handle(rt, svcCompute, "GET", "/v2.1/os-keypairs/{name}", getKeypair)
	c.handle(rt, svcCompute, "DELETE", "/v2.1/os-keypairs/{name}", deleteKeypair)
}

func keypairKey(userID, name string) string { return userID + "/" + name }

func (cl *call) keypairSummary(k *keypair) map[string]any {
	body := map[string]any{"name": k.Name, "public_key": k.PublicKey, "fingerprint": k.Fingerprint}
	if cl.mv >= 2 {
		body["type"] = k.Type
	}
	return body
}

func listKeypairs(cl *call) reply {
	var keys []*keypair
	for _, k := range cl.c.keypairs {
		if k.UserID == cl.tok.User.ID {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Name < keys[j].Name })
	out := []any{}
	for _, k := range keys {
		out = append(out, map[string]any{"keypair": cl.keypairSummary(k)})
	}
	return respond(http.StatusOK, map[string]any{"keypairs": out})
}

func (cl *call) findKeypair(name string) (*keypair, reply, bool) {
	k := cl.c.keypairs[keypairKey(cl.tok.User.ID, name)]
	if k == nil {
		return nil, cl.fail(http.StatusNotFound, "", "Keypair %s not found for user %s", name, cl.tok.User.ID), false
	}
	return k, reply{}, true
}

func getKeypair(cl *call) reply {
	k, rep, ok := cl.findKeypair(cl.vars["name"])
	if !ok {
		return rep
	}
	body := cl.keypairSummary(k)
	body["user_id"], body["deleted"], body["created_at"] = k.UserID, false, microTimestamp(k.Created)
	body["updated_at"], body["deleted_at"], body["id"] = nil, nil, len(cl.c.keypairs)
	return respond(http.StatusOK, map[string]any{"keypair": body})
}

type keypairFields struct {
	Name      string  `json:"name"`
	PublicKey *string `json:"public_key"`
	Type      string  `json:"type"`
}

func createKeypair(cl *call) reply {
	var req struct {
		Keypair *keypairFields `json:"keypair"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	f := req.Keypair
	if f == nil || f.Name == "" {
		return cl.fail(http.StatusBadRequest, "", "Invalid input for field/attribute keypair. 'name' is a required property")
	}
	if f.PublicKey == nil && cl.mv >= 92 {
		return cl.fail(http.StatusBadRequest, "", "Invalid input for field/attribute keypair. Value: {'name': '%s'}. 'public_key' is a required property", f.Name)
	}
	if cl.c.keypairs[keypairKey(cl.tok.User.ID, f.Name)] != nil {
		return cl.fail(http.StatusConflict, "", "Key pair '%s' already exists.", f.Name)
	}
	k := &keypair{Name: f.Name, UserID: cl.tok.User.ID, Type: "ssh", Created: cl.now}
	if f.Type != "" {
		k.Type = f.Type
	}
	body, rep, ok := cl.fillKey(k, f.PublicKey)
	if !ok {
		return rep
	}
	cl.c.keypairs[keypairKey(k.UserID, k.Name)] = k
	status := http.StatusCreated
	if cl.mv < 2 {
		status = http.StatusOK
	}
	return respond(status, map[string]any{"keypair": body})
}

// fillKey imports publicKey, or generates a key pair when it is nil, and
// returns the create response body.
func (cl *call) fillKey(k *keypair, publicKey *string) (map[string]any, reply, bool) {
	var private string
	if publicKey == nil {
		pub, priv, err := generateKey()
		if err != nil {
			return nil, cl.fail(http.StatusInternalServerError, "", "Key generation failed: %v", err), false
		}
		publicKey, private = &pub, priv
	}
	parsed, _, _, _, err := ssh.ParseAuthorizedKey([]byte(*publicKey))
	if err != nil {
		return nil, cl.fail(http.StatusBadRequest, "", "Keypair data is invalid: failed to generate fingerprint"), false
	}
	k.PublicKey = strings.TrimSpace(*publicKey)
	k.Fingerprint = ssh.FingerprintLegacyMD5(parsed)
	body := cl.keypairSummary(k)
	body["user_id"] = k.UserID
	if private != "" {
		body["private_key"] = private
	}
	return body, reply{}, true
}

// generateKey creates an Ed25519 key pair. Nova generates RSA keys; any
// valid OpenSSH key serves a client that only stores the private half.
func generateKey() (public, private string, err error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", err
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		return "", "", err
	}
	block, err := ssh.MarshalPrivateKey(priv, "Generated-by-Nova")
	if err != nil {
		return "", "", err
	}
	public = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))) + " Generated-by-Nova"
	return public, string(pem.EncodeToMemory(block)), nil
}

func deleteKeypair(cl *call) reply {
	k, rep, ok := cl.findKeypair(cl.vars["name"])
	if !ok {
		return rep
	}
	delete(cl.c.keypairs, keypairKey(k.UserID, k.Name))
	if cl.mv < 2 {
		return empty(http.StatusAccepted)
	}
	return empty(http.StatusNoContent)
}
