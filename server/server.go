package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/gce-api/gce-api/server/compute"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/operations"
	"github.com/gce-api/gce-api/server/store"
)

// Config configures a Server.
type Config struct {
	// Credentials name the cloud (AuthURL, RegionName) and the service user
	// the reconciler uses to move operations forward when no client requests them.
	Credentials openstack.Credentials
	// StatePath is the SQLite file for names and operations; "" keeps them
	// in memory for the life of the server.
	StatePath string
	// PublicURL is the base of every link (scheme://host[:port]); "" takes
	// the scheme and host of each request.
	PublicURL string
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// ReconcileInterval is how often operations advance in the background;
	// 0 means 2 seconds, negative disables the reconciler.
	ReconcileInterval time.Duration
}

// Server is the gce-api HTTP handler.
type Server struct {
	cfg       Config
	log       *slog.Logger
	store     store.Store
	connector *openstack.Connector
	ops       *operations.Engine
	service   *compute.Service
	router    *mux.Router
	cancel    context.CancelFunc
	done      chan struct{}
}

// New builds a Server and starts its reconciler. Close stops it.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	st, err := store.OpenSQLite(cfg.StatePath)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, store: st, done: make(chan struct{}),
		connector: openstack.NewConnector(cfg.Credentials.AuthURL, cfg.Credentials.RegionName)}
	s.ops = operations.NewEngine(st, log)
	s.service = compute.NewService(st, s.ops, log)
	s.router = s.routes()
	s.startReconciler(ctx)
	return s, nil
}

func (c Config) validate() error {
	if c.Credentials.AuthURL == "" {
		return errors.New("server config: the Keystone auth URL is required")
	}
	return nil
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.router.ServeHTTP(w, r)
}

// Close stops the reconciler and closes the store.
func (s *Server) Close() error {
	s.cancel()
	<-s.done
	return s.store.Close()
}

func (s *Server) startReconciler(ctx context.Context) {
	ctx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	interval := s.cfg.ReconcileInterval
	if interval == 0 {
		interval = 2 * time.Second
	}
	if interval < 0 || s.cfg.Credentials.Password == "" {
		close(s.done)
		return
	}
	go func() {
		defer close(s.done)
		s.ops.Reconcile(ctx, interval, s.serviceSession)
	}()
}

// serviceSession logs the configured service user into project.
func (s *Server) serviceSession(ctx context.Context, project string) (*openstack.Session, error) {
	creds := s.cfg.Credentials
	creds.ProjectName = project
	return s.connector.LoginCached(ctx, creds)
}
