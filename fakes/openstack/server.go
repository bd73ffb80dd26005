package openstack

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Server is a Cloud served over HTTP on a loopback listener.
type Server struct {
	URL   string // http://127.0.0.1:port
	Cloud *Cloud

	srv  *http.Server
	done chan error
}

// Start listens on addr ("127.0.0.1:0" for any port) and serves a new
// Cloud built from opts until Close.
func Start(addr string, opts Options) (*Server, error) {
	return StartHandler(addr, opts, nil)
}

// StartHandler is Start with wrap applied to the cloud's handler, for
// request logging. A nil wrap serves the cloud as it is.
func StartHandler(addr string, opts Options, wrap func(http.Handler) http.Handler) (*Server, error) {
	cloud, err := New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	var h http.Handler = cloud
	if wrap != nil {
		h = wrap(h)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), Cloud: cloud, done: make(chan error, 1),
		srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

// AuthURL returns the Keystone v3 URL to give to a client.
func (s *Server) AuthURL() string { return s.URL + "/identity/v3" }

// Close stops the listener and waits up to five seconds for requests in
// flight.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if serveErr := <-s.done; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	return err
}
