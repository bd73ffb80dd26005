package framework

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	fakeos "github.com/gce-api/gce-api/fakes/openstack"
	"golang.org/x/oauth2"
	compute "google.golang.org/api/compute/v1"
	"google.golang.org/api/option"
)

// Env is the deployment under test and one Ginkgo process's means to
// reach it: settings, clients, name sequence and recorder.
type Env struct {
	Settings

	// Fake is the in-memory OpenStack behind the server on the fake target,
	// and nil on the others.
	Fake *fakeos.Server

	// Recorder keeps the last exchanges of every client that Env makes.
	Recorder *Recorder

	node, nodes int          // Ginkgo parallel process number and count
	seq         atomic.Int64 // names made so far by this process
	local       *stack       // target parts this process started itself

	openStackMu      sync.Mutex
	openStackClients map[string]*OpenStackClients // by Keystone URL, user and project
}

func newEnv(s Settings, node, nodes int) *Env {
	if nodes < 1 {
		node, nodes = 1, 1
	}
	return &Env{Settings: s, Recorder: &Recorder{}, node: node, nodes: nodes}
}

// Name returns a resource name "<prefix>-<base>-<n>" that no other spec or
// parallel process of this run gets.
func (e *Env) Name(base string) string {
	n := e.seq.Add(1)*int64(e.nodes) + int64(e.node) - int64(e.nodes)
	return fmt.Sprintf("%s-%s-%d", e.Prefix, base, n)
}

// HTTPClient returns a client that records its exchanges in e.Recorder and
// sends no credentials of its own.
func (e *Env) HTTPClient() *http.Client {
	return &http.Client{Transport: e.Recorder}
}

// Compute returns a compute/v1 client for the target. It sends e.Token as a
// bearer token from an oauth2.StaticTokenSource.
//
// NOTE: the token source sits in the HTTP client rather than in
// option.WithTokenSource, because option.WithHTTPClient, which the
// recording transport needs, makes the library ignore credential options.
func (e *Env) Compute(ctx context.Context) (*compute.Service, error) {
	source := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: e.Token, TokenType: "Bearer"})
	client := &http.Client{Transport: &oauth2.Transport{Source: source, Base: e.Recorder}}
	return compute.NewService(ctx, option.WithEndpoint(e.Endpoint), option.WithHTTPClient(client))
}

// URL resolves a path under /compute/v1/ (such as "projects/p/zones")
// against the endpoint.
func (e *Env) URL(path string) string {
	return e.Endpoint + strings.TrimPrefix(path, "/")
}

// RootURL resolves a path against the endpoint's scheme and host, where
// Google's batch endpoint /batch/compute/v1 lives.
func (e *Env) RootURL(path string) string {
	u, err := url.Parse(e.Endpoint)
	if err != nil {
		panic(fmt.Sprintf("endpoint %q: %v", e.Endpoint, err))
	}
	return u.Scheme + "://" + u.Host + "/" + strings.TrimPrefix(path, "/")
}

// Response is a raw HTTP response with its body read.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends a raw request to url with the bearer token, unless token is
// false, and returns the response with its body read.
func (e *Env) Do(ctx context.Context, method, url string, body io.Reader, token bool) (Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return Response{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token {
		req.Header.Set("Authorization", "Bearer "+e.Token)
	}
	return e.Send(req)
}

// Send sends req as it is and returns the response with its body read.
func (e *Env) Send(req *http.Request) (Response, error) {
	resp, err := e.HTTPClient().Do(req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: data}, err
}
