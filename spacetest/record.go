package spacetest

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
)

// MaxRecordedBodyBytes is how much of each request body [App.Requests] keeps. The handler
// still reads the whole body.
const MaxRecordedBodyBytes = 64 << 10

// DefaultMaxRecordedRequests is how many requests per Micro [App.Requests] keeps unless
// [Options].MaxRecordedRequests says otherwise. Older requests are dropped, so that a load
// test or a benchmark does not fill the memory.
const DefaultMaxRecordedRequests = 10_000

// redactedHeaders are the request headers whose values [App.Requests] replaces with
// "[REDACTED]", because they carry keys or sessions.
var redactedHeaders = []string{"X-Api-Key", "X-Space-App-Key", "Cookie", "Authorization"}

// Request is a request that a Micro received, as its handler saw it.
type Request struct {
	// Method is the request method.
	Method string
	// URL is the micro-relative URL: the path after the router stripped the Micro's prefix,
	// and the query. Only Path, RawPath and RawQuery are set.
	URL *url.URL
	// Header is the request's header, with the router's X-Forwarded-* headers. The values of
	// X-API-Key, X-Space-App-Key, Cookie and Authorization are "[REDACTED]".
	Header http.Header
	// Body is the start of the body, up to MaxRecordedBodyBytes: what the handler read,
	// followed, when the request declared its length, by what it left unread.
	Body []byte
	// Truncated reports that the body was longer than MaxRecordedBodyBytes.
	Truncated bool
}

// recorder keeps the latest requests of one Micro in the order they arrived.
type recorder struct {
	mu      sync.Mutex
	max     int      // how many requests list returns
	entries []*entry // the latest max entries, and up to max older ones
}

// entry is one recorded request. Its body grows while the handler reads it.
type entry struct {
	rec *recorder
	req Request
}

// add records r and replaces its body with one that copies what the handler reads.
func (rec *recorder) add(r *http.Request) *entry {
	u := &url.URL{Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
	e := &entry{rec: rec, req: Request{Method: r.Method, URL: u, Header: redact(r.Header)}}
	rec.mu.Lock()
	if len(rec.entries) >= 2*rec.max {
		// Dropping half at once keeps the cost of an append constant on average.
		rec.entries = append(rec.entries[:0], rec.entries[len(rec.entries)-rec.max:]...)
	}
	rec.entries = append(rec.entries, e)
	rec.mu.Unlock()
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = &recordingBody{ReadCloser: r.Body, entry: e}
	}
	return e
}

// finish records what the handler left unread of a body of declared length, up to the bound.
// A body of unknown length is left alone, because reading it could wait for a client that
// waits for the response.
func (e *entry) finish(r *http.Request) {
	body, ok := r.Body.(*recordingBody)
	if !ok || r.ContentLength <= 0 {
		return
	}
	e.rec.mu.Lock()
	room := MaxRecordedBodyBytes - len(e.req.Body)
	e.rec.mu.Unlock()
	if room > 0 {
		_, _ = io.CopyN(io.Discard, body, int64(room)+1)
	}
}

// write appends p to the recorded body, up to the bound.
func (e *entry) write(p []byte) {
	e.rec.mu.Lock()
	defer e.rec.mu.Unlock()
	room := MaxRecordedBodyBytes - len(e.req.Body)
	if len(p) > room {
		p = p[:room]
		e.req.Truncated = true
	}
	e.req.Body = append(e.req.Body, p...)
}

// list returns copies of the recorded requests.
func (rec *recorder) list() []Request {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	entries := rec.entries[max(0, len(rec.entries)-rec.max):]
	out := make([]Request, len(entries))
	for i, e := range entries {
		out[i] = e.req
		u := *e.req.URL
		out[i].URL = &u
		out[i].Header = e.req.Header.Clone()
		out[i].Body = slices.Clone(e.req.Body)
	}
	return out
}

// recordingBody copies what the handler reads into the entry.
type recordingBody struct {
	io.ReadCloser
	entry *entry
}

func (b *recordingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.entry.write(p[:n])
	}
	return n, err
}

// redact returns a copy of h with the values of the key and session headers replaced.
func redact(h http.Header) http.Header {
	out := h.Clone()
	if out == nil {
		out = make(http.Header)
	}
	for _, name := range redactedHeaders {
		for i := range out[name] {
			out[name][i] = "[REDACTED]"
		}
	}
	return out
}

// Requests returns the requests that the Micro called micro has received so far, in the
// order they arrived, including those that an injected fault ended. It keeps the latest
// [Options].MaxRecordedRequests, by default [DefaultMaxRecordedRequests]. Requests that the router
// rejected, such as a 401, never reached the Micro and are not listed. A request's body grows
// while its handler reads it; it is complete once the handler has returned. The result is a
// copy. An unknown Micro fails the test.
func (a *App) Requests(micro string) []Request {
	a.t.Helper()
	return a.micro("Requests", micro).record.list()
}
