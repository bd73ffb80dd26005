package framework

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Recorder is an http.RoundTripper that keeps the last exchanges in a ring
// buffer, so a failed spec can show what it sent and received. Authorization
// headers are never recorded.
type Recorder struct {
	Base    http.RoundTripper // nil means http.DefaultTransport
	Size    int               // exchanges kept; 0 means 16
	MaxBody int               // bytes of each body kept; 0 means 4096

	mu        sync.Mutex
	exchanges []exchange
	next      int
}

type exchange struct {
	at       time.Time
	method   string
	url      string
	reqBody  []byte
	status   string
	respBody []byte
	err      error
	latency  time.Duration
}

// RoundTrip sends req through Base and records the exchange.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	ex := exchange{at: time.Now(), method: req.Method, url: req.URL.String()}
	body, err := peekRequestBody(req)
	if err != nil {
		return nil, err
	}
	ex.reqBody = body
	resp, err := r.base().RoundTrip(req)
	ex.latency = time.Since(ex.at)
	ex.err = err
	if resp != nil {
		ex.status = resp.Status
		ex.respBody, err = peekResponseBody(resp)
	}
	r.add(ex)
	return resp, err
}

func (r *Recorder) base() http.RoundTripper {
	if r.Base == nil {
		return http.DefaultTransport
	}
	return r.Base
}

func peekRequestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	data, err := io.ReadAll(req.Body)
	req.Body.Close()
	req.Body = io.NopCloser(bytes.NewReader(data))
	return data, err
}

func peekResponseBody(resp *http.Response) ([]byte, error) {
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(data))
	return data, err
}

func (r *Recorder) add(ex exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	size := r.Size
	if size <= 0 {
		size = 16
	}
	if len(r.exchanges) < size {
		r.exchanges = append(r.exchanges, ex)
		return
	}
	r.exchanges[r.next] = ex
	r.next = (r.next + 1) % size
}

// Reset deletes every recorded exchange.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exchanges = nil
	r.next = 0
}

// Dump formats the recorded exchanges, oldest first.
func (r *Recorder) Dump() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	ordered := make([]exchange, 0, len(r.exchanges))
	ordered = append(ordered, r.exchanges[r.next:]...)
	ordered = append(ordered, r.exchanges[:r.next]...)
	for i, ex := range ordered {
		fmt.Fprintf(&b, "--- exchange %d of %d\n", i+1, len(ordered))
		r.format(&b, ex)
	}
	return b.String()
}

func (r *Recorder) format(b *strings.Builder, ex exchange) {
	fmt.Fprintf(b, "%s %s %s\n", ex.at.Format(time.RFC3339Nano), ex.method, ex.url)
	if len(ex.reqBody) > 0 {
		fmt.Fprintf(b, "request body: %s\n", r.clip(ex.reqBody))
	}
	if ex.err != nil {
		fmt.Fprintf(b, "error after %s: %v\n", ex.latency, ex.err)
		return
	}
	fmt.Fprintf(b, "response %s after %s: %s\n", ex.status, ex.latency, r.clip(ex.respBody))
}

func (r *Recorder) clip(body []byte) string {
	limit := r.MaxBody
	if limit <= 0 {
		limit = 4096
	}
	if len(body) <= limit {
		return string(body)
	}
	return fmt.Sprintf("%s... (%d bytes in all)", body[:limit], len(body))
}
