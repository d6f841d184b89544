package spacetest

import (
	"encoding/binary"
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

// entry is one recorded request. Its body grows while the handler reads it. The header is
// kept encoded in one byte slice, already redacted, because the recorder holds thousands of
// entries: a slice without pointers is cheaper to keep than a map, and the garbage collector
// need not scan it.
type entry struct {
	rec       *recorder
	method    string
	path      string // the URL's Path, RawPath and RawQuery
	rawPath   string
	rawQuery  string
	header    []byte // see appendHeader
	body      []byte
	truncated bool
}

// add records r and replaces its body with one that copies what the handler reads.
func (rec *recorder) add(r *http.Request) *entry {
	e := &entry{rec: rec, method: r.Method, path: r.URL.Path, rawPath: r.URL.RawPath,
		rawQuery: r.URL.RawQuery, header: encodeHeader(r.Header)}
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
	room := MaxRecordedBodyBytes - len(e.body)
	e.rec.mu.Unlock()
	if room > 0 {
		_, _ = io.CopyN(io.Discard, body, int64(room)+1)
	}
}

// write appends p to the recorded body, up to the bound.
func (e *entry) write(p []byte) {
	e.rec.mu.Lock()
	defer e.rec.mu.Unlock()
	room := MaxRecordedBodyBytes - len(e.body)
	if len(p) > room {
		p = p[:room]
		e.truncated = true
	}
	e.body = append(e.body, p...)
}

// request returns the recorded request, with copies of everything it holds.
func (e *entry) request() Request {
	return Request{
		Method:    e.method,
		URL:       &url.URL{Path: e.path, RawPath: e.rawPath, RawQuery: e.rawQuery},
		Header:    decodeHeader(e.header),
		Body:      slices.Clone(e.body),
		Truncated: e.truncated,
	}
}

// list returns copies of the recorded requests.
func (rec *recorder) list() []Request {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	entries := rec.entries[max(0, len(rec.entries)-rec.max):]
	out := make([]Request, len(entries))
	for i, e := range entries {
		out[i] = e.request()
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

// redacted is the value that [App.Requests] shows for the headers in redactedHeaders.
const redacted = "[REDACTED]"

// encodeHeader returns h encoded by appendHeader, with the values of the key and session
// headers replaced by redacted. Only the result is allocated, for a header of up to 512 bytes.
func encodeHeader(h http.Header) []byte {
	var buf [512]byte
	return slices.Clone(appendHeader(buf[:0], h))
}

// appendHeader appends h to b. For each name, in no particular order, it appends the name,
// then 0 for nil values or 1 + the number of values, then each value. Strings are appended
// as their length, then their bytes; numbers as uvarints.
func appendHeader(b []byte, h http.Header) []byte {
	for name, values := range h {
		b = appendString(b, name)
		if values == nil {
			b = binary.AppendUvarint(b, 0)
			continue
		}
		b = binary.AppendUvarint(b, uint64(len(values))+1)
		hide := slices.Contains(redactedHeaders, name)
		for _, value := range values {
			if hide {
				value = redacted
			}
			b = appendString(b, value)
		}
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decodeHeader returns the header that appendHeader encoded in b. Like [http.Header.Clone],
// it keeps nil values nil, and puts the values in one backing array, each name's capped.
func decodeHeader(b []byte) http.Header {
	names := 0
	count := 0
	for rest := b; len(rest) > 0; names++ {
		var n int
		_, rest = readString(rest)
		n, rest = readUvarint(rest)
		for range max(n-1, 0) {
			_, rest = readString(rest)
		}
		count += max(n-1, 0)
	}
	h := make(http.Header, names)
	backing := make([]string, count) // non-nil even when empty, as in http.Header.Clone
	for len(b) > 0 {
		var name string
		var n int
		name, b = readString(b)
		n, b = readUvarint(b)
		if n == 0 {
			h[name] = nil
			continue
		}
		values := backing[: n-1 : n-1]
		backing = backing[n-1:]
		for i := range values {
			values[i], b = readString(b)
		}
		h[name] = values
	}
	return h
}

// readUvarint returns the number at the start of b, which appendHeader wrote, and the rest.
func readUvarint(b []byte) (int, []byte) {
	n, size := binary.Uvarint(b)
	return int(n), b[size:]
}

// readString returns the string at the start of b, which appendString wrote, and the rest.
func readString(b []byte) (string, []byte) {
	n, b := readUvarint(b)
	return string(b[:n]), b[n:]
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
