package openstack

import (
	"context"
	"time"
)

// Credentials name a Keystone v3 user and the project it works in. They are
// what clouds.yaml entries and OS_* variables carry.
type Credentials struct {
	AuthURL           string // Keystone v3 URL, e.g. http://127.0.0.1:5000/v3
	Username          string
	Password          string
	ProjectName       string
	UserDomainName    string // "Default" when empty
	ProjectDomainName string // "Default" when empty
	RegionName        string // Keystone region; "" means the first one listed
}

// Token is a Keystone token and the time it stops being valid.
type Token struct {
	ID        string
	ExpiresAt time.Time
}

// IssueToken authenticates with a password and returns a project-scoped
// Keystone token. The gce-api server accepts such a token as a bearer token.
func IssueToken(ctx context.Context, creds Credentials) (Token, error) {
	return issueToken(ctx, creds)
}
