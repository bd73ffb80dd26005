// Command gce-api serves the Compute Engine v1 API on an OpenStack cloud.
//
// With no configuration it runs an in-memory OpenStack inside the same
// process, on the same listener under /openstack, seeded with the project
// demo (user demo, password demo). `gce-api token` prints a bearer token the
// running server accepts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	fakeos "github.com/gce-api/gce-api/fakes/openstack"
	"github.com/gce-api/gce-api/server"
	"github.com/gce-api/gce-api/server/openstack"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "gce-api:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) > 0 && args[0] == "token" {
		return printToken(args[1:])
	}
	cfg, err := parseFlags("gce-api", args)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, cfg)
}

func printToken(args []string) error {
	cfg, err := parseFlags("gce-api token", args)
	if err != nil {
		return err
	}
	creds := cfg.credentials
	if cfg.embedded {
		creds = embeddedCredentials("http://" + cfg.Listen)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tok, err := openstack.IssueToken(ctx, creds)
	if err != nil {
		if cfg.embedded {
			return fmt.Errorf("get a token from the embedded OpenStack at %s (is `gce-api` running there?): %w", creds.AuthURL, err)
		}
		return fmt.Errorf("get a token from %s: %w", creds.AuthURL, err)
	}
	fmt.Println(tok.ID)
	return nil
}

func newLogger(format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

func serve(ctx context.Context, cfg *config) error {
	log := newLogger(cfg.LogFormat)
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	handler, closeAll, err := buildHandler(ctx, cfg, base, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer closeAll()
	// ReadTimeout bounds the reading of a request body; responses, such as
	// operations.wait, may take longer to write.
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 30 * time.Second,
		ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	log.Info("serving the Compute Engine API", "url", base+"/compute/v1/",
		"openstack", openstackDescription(cfg, base), "state", stateDescription(cfg))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// buildHandler returns the API handler, with the embedded OpenStack mounted
// under /openstack when no cloud is configured.
func buildHandler(ctx context.Context, cfg *config, base string, log *slog.Logger) (http.Handler, func(), error) {
	creds := cfg.credentials
	var cloud http.Handler
	if cfg.embedded {
		opts := fakeos.Options{}
		if cfg.Timings == "fast" {
			opts.Timings = fakeos.FastTimings()
		}
		c, err := fakeos.New(opts)
		if err != nil {
			return nil, nil, fmt.Errorf("start the embedded OpenStack: %w", err)
		}
		cloud = logOpenStack(log, mountPrefix(embeddedPrefix, c))
		creds = embeddedCredentials(base)
	} else if dir := filepath.Dir(cfg.StatePath); cfg.StatePath != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, nil, fmt.Errorf("create state directory: %w", err)
		}
	}
	api, err := server.New(ctx, server.Config{Credentials: creds, StatePath: cfg.StatePath,
		PublicURL: cfg.PublicURL, Logger: log})
	if err != nil {
		return nil, nil, err
	}
	if cloud == nil {
		return api, func() { api.Close() }, nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == embeddedPrefix || strings.HasPrefix(r.URL.Path, embeddedPrefix+"/") {
			cloud.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	}), func() { api.Close() }, nil
}

// mountPrefix serves h below prefix and names the prefix in
// X-Forwarded-Prefix, which the in-memory OpenStack uses in its catalog.
func mountPrefix(prefix string, h http.Handler) http.Handler {
	strip := http.StripPrefix(prefix, h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("X-Forwarded-Prefix", prefix)
		strip.ServeHTTP(w, r)
	})
}

func openstackDescription(cfg *config, base string) string {
	if cfg.embedded {
		return "embedded at " + base + embeddedPrefix + " (user demo)"
	}
	return cfg.credentials.AuthURL
}

func stateDescription(cfg *config) string {
	if cfg.StatePath == "" {
		return "memory"
	}
	return cfg.StatePath
}

// logOpenStack writes one line per request to the embedded OpenStack, with
// no headers, so tokens stay out of the log.
func logOpenStack(log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		h.ServeHTTP(rec, r)
		log.Info("openstack request", "method", r.Method, "path", r.URL.Path,
			"status", rec.status, "latency_ms", time.Since(start).Milliseconds())
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
