package openstack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	gos "github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/tokens"
)

// Nova and Cinder microversions the session requests. Nova 2.79 gives the
// embedded flavor (2.47), server tags on create (2.52) and
// delete_on_termination on volume attachments (2.79); Zed serves up to 2.93.
const (
	computeMicroversion = "2.79"
	volumeMicroversion  = "3.27"
)

// Session is a project-scoped Keystone token with its service clients.
type Session struct {
	ProjectID   string
	ProjectName string
	UserID      string
	UserName    string
	ExpiresAt   time.Time
	Region      string

	provider *gophercloud.ProviderClient
	mu       sync.Mutex
	clients  map[string]*gophercloud.ServiceClient
}

// Token returns the session's Keystone token.
func (s *Session) Token() string { return s.provider.Token() }

// Connector turns bearer tokens and passwords into sessions, caching one
// session per token and project until its token expires, so Keystone gets
// at most one issuance per user, project and token lifetime.
type Connector struct {
	AuthURL    string
	Region     string // "" takes the region of the first catalog endpoint
	HTTPClient *http.Client
	// RevalidateEvery bounds how long a revoked bearer token keeps working
	// from the cache: a cached session older than this checks its token
	// with Keystone again.
	RevalidateEvery time.Duration

	mu    sync.Mutex
	cache map[string]*cacheEntry
}

type cacheEntry struct {
	session *Session
	checked time.Time
}

// NewConnector returns a connector for the Keystone v3 endpoint authURL.
func NewConnector(authURL, region string) *Connector {
	return &Connector{AuthURL: authURL, Region: region,
		HTTPClient: &http.Client{Timeout: 60 * time.Second}, RevalidateEvery: 30 * time.Second,
		cache: map[string]*cacheEntry{}}
}

// Scope returns a session scoped to project for the holder of bearer, a
// Keystone token. It returns ErrUnauthorized when bearer is not a valid token
// and ErrForbidden when its user has no role in project.
func (c *Connector) Scope(ctx context.Context, bearer, project string) (*Session, error) {
	key := cacheKey(bearer, project)
	if s, ok, err := c.fresh(ctx, key, bearer); ok {
		return s, err
	}
	s, err := c.scope(ctx, bearer, project)
	if err != nil {
		return nil, err
	}
	c.store(key, s)
	return s, nil
}

func (c *Connector) scope(ctx context.Context, bearer, project string) (*Session, error) {
	own, err := c.validate(ctx, bearer)
	if err != nil {
		return nil, err
	}
	if own.ProjectName == project {
		return own, nil
	}
	s, err := c.authenticate(ctx, gophercloud.AuthOptions{TokenID: bearer,
		Scope: &gophercloud.AuthScope{ProjectName: project, DomainName: "Default"}})
	if errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrNotFound) {
		// The cause is kept as text only, so errors.Is matches one kind.
		return nil, &Error{Op: "scope token to project " + project, Kind: ErrForbidden,
			Status: http.StatusForbidden, Message: orText(MessageOf(err), err.Error())}
	}
	return s, err
}

// Login authenticates with a password and returns a session scoped to the
// credentials' project.
func (c *Connector) Login(ctx context.Context, creds Credentials) (*Session, error) {
	return c.authenticate(ctx, gophercloud.AuthOptions{
		Username: creds.Username, Password: creds.Password,
		DomainName: orDefault(creds.UserDomainName),
		Scope: &gophercloud.AuthScope{ProjectName: creds.ProjectName,
			DomainName: orDefault(creds.ProjectDomainName)},
	})
}

func (c *Connector) authenticate(ctx context.Context, opts gophercloud.AuthOptions) (*Session, error) {
	opts.IdentityEndpoint = c.AuthURL
	pc, err := c.newProvider()
	if err != nil {
		return nil, err
	}
	if err := gos.Authenticate(ctx, pc, opts); err != nil {
		return nil, wrapErr("authenticate with Keystone", err)
	}
	result, ok := pc.GetAuthResult().(tokens.CreateResult)
	if !ok {
		return nil, &Error{Op: "authenticate with Keystone", Kind: ErrUnavailable,
			Err: errors.New("no v3 token in the response from Keystone")}
	}
	return c.newSession(pc, result)
}

// validate checks bearer with Keystone and returns a session on it as it is.
func (c *Connector) validate(ctx context.Context, bearer string) (*Session, error) {
	pc, err := c.newProvider()
	if err != nil {
		return nil, err
	}
	pc.SetToken(bearer)
	identity, err := gos.NewIdentityV3(pc, gophercloud.EndpointOpts{})
	if err != nil {
		return nil, wrapErr("reach Keystone", err)
	}
	res := tokens.Get(ctx, identity, bearer)
	if res.Err != nil {
		err := wrapErr("validate token", res.Err)
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrForbidden) {
			return nil, &Error{Op: "validate token", Kind: ErrUnauthorized, Status: http.StatusUnauthorized,
				Message: orText(MessageOf(err), err.Error())}
		}
		return nil, err
	}
	return c.newSession(pc, res)
}

func (c *Connector) newProvider() (*gophercloud.ProviderClient, error) {
	pc, err := gos.NewClient(c.AuthURL)
	if err != nil {
		return nil, &Error{Op: "configure Keystone URL " + c.AuthURL, Kind: ErrInvalid, Err: err}
	}
	pc.HTTPClient = *c.HTTPClient
	return pc, nil
}

// tokenResult is the common part of Keystone's token create and validate results.
type tokenResult interface {
	ExtractToken() (*tokens.Token, error)
	ExtractProject() (*tokens.Project, error)
	ExtractUser() (*tokens.User, error)
	ExtractServiceCatalog() (*tokens.ServiceCatalog, error)
}

func (c *Connector) newSession(pc *gophercloud.ProviderClient, common tokenResult) (*Session, error) {
	token, err := common.ExtractToken()
	if err != nil {
		return nil, wrapErr("read Keystone token", err)
	}
	s := &Session{ExpiresAt: token.ExpiresAt, provider: pc, clients: map[string]*gophercloud.ServiceClient{}}
	if p, err := common.ExtractProject(); err == nil && p != nil {
		s.ProjectID, s.ProjectName = p.ID, p.Name
	}
	if u, err := common.ExtractUser(); err == nil && u != nil {
		s.UserID, s.UserName = u.ID, u.Name
	}
	if pc.Token() == "" {
		pc.SetToken(token.ID)
	}
	catalog, err := common.ExtractServiceCatalog()
	if err != nil {
		return nil, wrapErr("read service catalog", err)
	}
	s.Region = c.Region
	if s.Region == "" {
		s.Region = firstRegion(catalog)
	}
	pc.EndpointLocator = func(opts gophercloud.EndpointOpts) (string, error) {
		return gos.V3Endpoint(context.Background(), pc, catalog, opts)
	}
	return s, nil
}

func firstRegion(catalog *tokens.ServiceCatalog) string {
	for _, entry := range catalog.Entries {
		for _, ep := range entry.Endpoints {
			if ep.Region != "" {
				return ep.Region
			}
		}
	}
	return ""
}

func (c *Connector) cached(key string) *Session {
	if e := c.entry(key); e != nil {
		return e.session
	}
	return nil
}

func (c *Connector) entry(key string) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.cache[key]
	if e == nil || time.Until(e.session.ExpiresAt) < 30*time.Second {
		delete(c.cache, key)
		return nil
	}
	return e
}

// fresh returns the cached session under key, checking bearer with Keystone
// again when the last check is older than RevalidateEvery. ok is false when
// nothing usable is cached.
func (c *Connector) fresh(ctx context.Context, key, bearer string) (s *Session, ok bool, err error) {
	e := c.entry(key)
	if e == nil {
		return nil, false, nil
	}
	c.mu.Lock()
	checked := e.checked
	c.mu.Unlock()
	if time.Since(checked) < c.RevalidateEvery {
		return e.session, true, nil
	}
	if _, err := c.validate(ctx, bearer); err != nil {
		if errors.Is(err, ErrUnauthorized) {
			c.mu.Lock()
			delete(c.cache, key)
			c.mu.Unlock()
		}
		return nil, true, err
	}
	c.mu.Lock()
	e.checked = time.Now()
	c.mu.Unlock()
	return e.session, true, nil
}

func (c *Connector) store(key string, s *Session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, old := range c.cache {
		if time.Until(old.session.ExpiresAt) < 30*time.Second {
			delete(c.cache, k)
		}
	}
	c.cache[key] = &cacheEntry{session: s, checked: time.Now()}
}

// cacheKey never keeps the token itself in memory longer than needed.
func cacheKey(bearer, project string) string {
	sum := sha256.Sum256([]byte(bearer + "\x00" + project))
	return hex.EncodeToString(sum[:])
}

func orDefault(domain string) string {
	if domain == "" {
		return "Default"
	}
	return domain
}

// service returns the session's client for one service type, created once.
func (s *Session) service(kind string) (*gophercloud.ServiceClient, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sc := s.clients[kind]; sc != nil {
		return sc, nil
	}
	sc, err := newServiceClient(s.provider, kind, gophercloud.EndpointOpts{Region: s.Region})
	if err != nil {
		return nil, wrapErr("find the "+kind+" endpoint in the catalog", err)
	}
	s.clients[kind] = sc
	return sc, nil
}

func newServiceClient(pc *gophercloud.ProviderClient, kind string, eo gophercloud.EndpointOpts) (*gophercloud.ServiceClient, error) {
	switch kind {
	case "compute":
		sc, err := gos.NewComputeV2(pc, eo)
		if sc != nil {
			sc.Microversion = computeMicroversion
		}
		return sc, err
	case "network":
		return gos.NewNetworkV2(pc, eo)
	case "volume":
		sc, err := gos.NewBlockStorageV3(pc, eo)
		if sc != nil {
			sc.Microversion = volumeMicroversion
		}
		return sc, err
	case "image":
		return gos.NewImageV2(pc, eo)
	case "identity":
		return gos.NewIdentityV3(pc, gophercloud.EndpointOpts{})
	}
	return nil, fmt.Errorf("unknown service %q", kind)
}

func issueToken(ctx context.Context, creds Credentials) (Token, error) {
	c := NewConnector(creds.AuthURL, creds.RegionName)
	s, err := c.Login(ctx, creds)
	if err != nil {
		return Token{}, err
	}
	return Token{ID: s.Token(), ExpiresAt: s.ExpiresAt}, nil
}

// LoginCached is Login with the session cached per user and project until
// its token expires.
func (c *Connector) LoginCached(ctx context.Context, creds Credentials) (*Session, error) {
	key := cacheKey("login\x00"+orDefault(creds.UserDomainName)+"\x00"+creds.Username, creds.ProjectName)
	if s := c.cached(key); s != nil {
		return s, nil
	}
	s, err := c.Login(ctx, creds)
	if err != nil {
		return nil, err
	}
	c.store(key, s)
	return s, nil
}

// Own returns a session on bearer as it is, scoped to whatever project the
// token already names.
func (c *Connector) Own(ctx context.Context, bearer string) (*Session, error) {
	key := cacheKey(bearer, "\x00own")
	if s, ok, err := c.fresh(ctx, key, bearer); ok {
		return s, err
	}
	s, err := c.validate(ctx, bearer)
	if err != nil {
		return nil, err
	}
	c.store(key, s)
	return s, nil
}

func orText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
