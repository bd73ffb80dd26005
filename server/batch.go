package server

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"

	"github.com/gce-api/gce-api/server/gce"
)

// maxBatchParts is the most requests one batch may carry, as in Google's
// batch endpoint.
const maxBatchParts = 1000

// serveBatch runs each part of a multipart/mixed batch through the router
// and writes one response part per request, with Content-ID "<response-ID>". Parts
// without an Authorization header use the outer request's.
func (s *Server) serveBatch(w http.ResponseWriter, req *http.Request) {
	infoOf(req).methodID = "batch"
	mediaType, params, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") || params["boundary"] == "" {
		writeError(w, req, gce.Invalid("A batch request must be multipart/mixed with a boundary."))
		return
	}
	parts, err := readBatchParts(multipart.NewReader(req.Body, params["boundary"]))
	if err != nil {
		writeError(w, req, err)
		return
	}
	var out bytes.Buffer
	mw := multipart.NewWriter(&out)
	for _, p := range parts {
		s.answerPart(req, mw, p)
	}
	mw.Close()
	w.Header().Set("Content-Type", "multipart/mixed; boundary="+mw.Boundary())
	w.WriteHeader(http.StatusOK)
	w.Write(out.Bytes())
}

type batchPart struct {
	contentID string
	raw       []byte
}

func readBatchParts(r *multipart.Reader) ([]batchPart, error) {
	var parts []batchPart
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			return parts, nil
		}
		if err != nil {
			return nil, gce.Invalid("Malformed batch request: %v", err)
		}
		if len(parts) == maxBatchParts {
			return nil, gce.Invalid("A batch request may hold at most %d parts.", maxBatchParts)
		}
		raw, err := io.ReadAll(io.LimitReader(p, maxBody))
		if err != nil {
			return nil, gce.Invalid("Malformed batch request: %v", err)
		}
		parts = append(parts, batchPart{contentID: p.Header.Get("Content-ID"), raw: raw})
	}
}

func (s *Server) answerPart(outer *http.Request, mw *multipart.Writer, p batchPart) {
	rec := httptest.NewRecorder()
	inner, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(p.raw)))
	if err != nil {
		writeError(rec, outer, gce.Invalid("Malformed request in batch part %s: %v", p.contentID, err))
	} else {
		// A nil info makes the router log the part as a request of its own.
		inner = inner.WithContext(context.WithValue(outer.Context(), infoKey{}, (*requestInfo)(nil)))
		inner.Host = outer.Host
		inner.TLS = outer.TLS
		inner.RemoteAddr = outer.RemoteAddr
		if inner.Header.Get("Authorization") == "" {
			inner.Header.Set("Authorization", outer.Header.Get("Authorization"))
		}
		s.router.ServeHTTP(rec, inner)
	}
	header := textproto.MIMEHeader{}
	header.Set("Content-Type", "application/http")
	if p.contentID != "" {
		header.Set("Content-ID", responseID(p.contentID))
	}
	pw, _ := mw.CreatePart(header)
	res := rec.Result()
	fmt.Fprintf(pw, "HTTP/1.1 %d %s\r\n", res.StatusCode, http.StatusText(res.StatusCode))
	res.Header.Set("Content-Length", fmt.Sprint(rec.Body.Len()))
	res.Header.Write(pw)
	io.WriteString(pw, "\r\n")
	pw.Write(rec.Body.Bytes())
}

// responseID turns a request's Content-ID "<x+1>" into "<response-x+1>".
func responseID(id string) string {
	return "<response-" + strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">") + ">"
}
