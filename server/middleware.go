package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gce-api/gce-api/server/gce"
)

type infoKey struct{}

// requestInfo collects what the request log line reports.
type requestInfo struct {
	id       string
	methodID string
	project  string
	err      error // an internal error behind a 5xx response
	cause    error // cause of a 4xx rejection, e.g. Keystone's response
}

func infoOf(r *http.Request) *requestInfo {
	if info, ok := r.Context().Value(infoKey{}).(*requestInfo); ok && info != nil {
		return info
	}
	return &requestInfo{}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// logRequests writes one log line per request with its method id, status
// and latency. It never logs headers, so tokens stay out of the log.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info, ok := r.Context().Value(infoKey{}).(*requestInfo); ok && info != nil {
			next.ServeHTTP(w, r)
			return
		}
		info := &requestInfo{id: newRequestID()}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		rec := &statusRecorder{ResponseWriter: w}
		rec.Header().Set("X-Request-Id", info.id)
		start := time.Now()
		next.ServeHTTP(rec, r)
		s.logLine(r, info, rec, time.Since(start))
	})
}

func (s *Server) logLine(r *http.Request, info *requestInfo, rec *statusRecorder, latency time.Duration) {
	attrs := []any{"request_id", info.id, "method", r.Method, "path", r.URL.Path,
		"method_id", info.methodID, "project", info.project, "status", rec.status,
		"bytes", rec.bytes, "latency_ms", latency.Milliseconds()}
	level := slog.LevelInfo
	if info.cause != nil {
		attrs = append(attrs, "cause", info.cause.Error())
	}
	if info.err != nil {
		attrs = append(attrs, "err", info.err.Error())
		level = slog.LevelError
	}
	s.log.Log(r.Context(), level, "request", attrs...)
}

// recoverPanics turns a panic in a handler into a 500 envelope and a log
// line with the stack.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				infoOf(r).err = fmt.Errorf("panic: %v", v)
				s.log.Error("handler panic", "path", r.URL.Path, "panic", fmt.Sprint(v),
					"stack", string(debug.Stack()))
				writeError(w, r, gce.AsError(nil))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return "req-" + hex.EncodeToString(b[:])
}
