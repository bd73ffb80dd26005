// Command fake-openstack serves the in-memory OpenStack (Keystone, Nova,
// Neutron, Cinder, Glance) on one loopback listener, prints the OS_*
// variables for clients, and logs each request to standard error.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	fakeos "github.com/gce-api/gce-api/fakes/openstack"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:5000", "address to listen on, host:port")
	timings := flag.String("timings", "default", "state-change durations: default or fast")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(*listen, *timings, logger); err != nil {
		logger.Error("fake-openstack failed", "error", err)
		os.Exit(1)
	}
}

func run(listen, timingsName string, logger *slog.Logger) error {
	opts := fakeos.Options{}
	switch timingsName {
	case "default":
		opts.Timings = fakeos.DefaultTimings()
	case "fast":
		opts.Timings = fakeos.FastTimings()
	default:
		return fmt.Errorf("invalid --timings %q: use default or fast", timingsName)
	}
	srv, err := fakeos.StartHandler(listen, opts, func(h http.Handler) http.Handler { return logRequests(h, logger) })
	if err != nil {
		return err
	}
	printEnv(srv.AuthURL())
	logger.Info("fake-openstack started", "url", srv.URL, "timings", timingsName)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	logger.Info("fake-openstack stopping")
	return srv.Close()
}

func printEnv(authURL string) {
	fmt.Printf("export OS_AUTH_URL=%s\n", authURL)
	for _, kv := range [][2]string{{"OS_USERNAME", "demo"}, {"OS_PASSWORD", "demo"},
		{"OS_PROJECT_NAME", "demo"}, {"OS_USER_DOMAIN_NAME", "Default"},
		{"OS_PROJECT_DOMAIN_NAME", "Default"}, {"OS_REGION_NAME", "RegionOne"},
		{"OS_IDENTITY_API_VERSION", "3"}} {
		fmt.Printf("export %s=%s\n", kv[0], kv[1])
	}
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// logRequests logs method, path, status, latency and request id; it never
// logs tokens or bodies.
func logRequests(next http.Handler, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"latency", time.Since(start), "request_id", w.Header().Get("X-Openstack-Request-Id"))
	})
}
