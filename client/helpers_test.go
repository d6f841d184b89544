package client

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
)

// testKey is the app key of every test client. Tests assert that it appears nowhere but in the
// X-API-Key header of requests to the app's origin.
const testKey = "sk-test-7f3a9c2e51d84b06"

// recorded is one request as a test server received it.
type recorded struct {
	Method        string
	RequestURI    string
	Header        http.Header
	Body          []byte
	ContentLength int64
}

// testServer is a loopback HTTP server that records every request and counts connections.
type testServer struct {
	*httptest.Server

	mu       sync.Mutex
	requests []recorded

	opened atomic.Int64
	closed atomic.Int64
}

// newTestServer starts a loopback server that records each request and then calls handler.
func newTestServer(t testing.TB, handler http.HandlerFunc) *testServer {
	t.Helper()
	s := &testServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		s.record(r)
		handler(w, r)
	}))
	s.Config.ConnState = s.countConn
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *testServer) record(r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, recorded{
		Method:        r.Method,
		RequestURI:    r.RequestURI,
		Header:        r.Header.Clone(),
		Body:          body,
		ContentLength: r.ContentLength,
	})
}

func (s *testServer) countConn(_ net.Conn, state http.ConnState) {
	switch state {
	case http.StateNew:
		s.opened.Add(1)
	case http.StateClosed, http.StateHijacked:
		s.closed.Add(1)
	}
}

// Requests returns a copy of the requests received so far.
func (s *testServer) Requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.requests...)
}

// Count returns the number of requests received so far.
func (s *testServer) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// testConfig returns a configuration whose base URL is rawURL and whose key is testKey.
func testConfig(t testing.TB, rawURL string) envconfig.Config {
	t.Helper()
	base, err := envconfig.ParseHostname(rawURL)
	require.NoError(t, err)
	return envconfig.Config{Hostname: base.Host, BaseURL: base, APIKey: testKey}
}

// newTestClient returns a client for rawURL with retry waits of 1 to 2 ms, so that retries
// against a real server take no noticeable time. opts come after those waits and can replace
// them.
func newTestClient(t testing.TB, rawURL string, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{WithRetryWait(time.Millisecond, 2*time.Millisecond)}, opts...)
	c, err := New(testConfig(t, rawURL), all...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// failThen returns a handler that responds to the first n requests with status, and every later
// one with 200 and the body "ok".
func failThen(n int, status int) http.HandlerFunc {
	var count atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		if count.Add(1) <= int64(n) {
			http.Error(w, "try again", status)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}
}

// always returns a handler that responds to every request with status and body.
func always(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// hangUpThen returns a handler that closes the connection without a response for the first n
// requests, and responds to every later one with 200 and the body "ok".
func hangUpThen(n int) http.HandlerFunc {
	var count atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		if count.Add(1) > int64(n) {
			_, _ = io.WriteString(w, "ok")
			return
		}
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}
}

// readAndClose returns the body of resp as a string and closes it.
func readAndClose(t testing.TB, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(body)
}

// closedPort returns a loopback address on which nothing listens, so that dialing it fails.
func closedPort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "http://" + addr
}

// requireError asserts that err is an *Error and returns it.
func requireError(t testing.TB, err error) *Error {
	t.Helper()
	var e *Error
	require.ErrorAs(t, err, &e)
	return e
}

// logBuffer collects the JSON lines of a slog.Logger; it is safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Lines returns each log line decoded from JSON.
func (b *logBuffer) Lines(t testing.TB) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var fields map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &fields))
		delete(fields, "time")
		lines = append(lines, fields)
	}
	return lines
}

// newTestLogger returns a logger that writes JSON lines at every level to the returned buffer.
func newTestLogger() (*slog.Logger, *logBuffer) {
	buf := &logBuffer{}
	handler := slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})
	return slog.New(handler), buf
}

// roundTripFunc is an http.RoundTripper made of a function, for tests without sockets.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) {
	return f(req)
}

// fakeResponse returns a response to req with status, header and body.
func fakeResponse(req *http.Request, status int, header http.Header, body string) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{
		StatusCode:    status,
		Status:        http.StatusText(status),
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        header,
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

// fakeApp is an in-process transport that records when each attempt arrives, by the clock of
// the synctest bubble it runs in, and responds with respond.
type fakeApp struct {
	mu       sync.Mutex
	start    time.Time
	arrivals []time.Duration
	respond  func(req *http.Request, attempt int) (*http.Response, error)
}

func newFakeApp(respond func(req *http.Request, attempt int) (*http.Response, error)) *fakeApp {
	return &fakeApp{start: time.Now(), respond: respond}
}

func (a *fakeApp) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	a.mu.Lock()
	a.arrivals = append(a.arrivals, time.Since(a.start))
	attempt := len(a.arrivals)
	a.mu.Unlock()
	return a.respond(req, attempt)
}

// Arrivals returns how long after the fake app's creation each attempt arrived.
func (a *fakeApp) Arrivals() []time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]time.Duration(nil), a.arrivals...)
}

// newFakeClient returns a client whose attempts go to app, for use inside a synctest bubble.
func newFakeClient(t testing.TB, app http.RoundTripper, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{WithHTTPClient(&http.Client{Transport: app})}, opts...)
	c, err := New(testConfig(t, "https://notes.example.test"), all...)
	require.NoError(t, err)
	return c
}

// statusAlways returns a fakeApp response function that responds to every attempt with status
// and header.
func statusAlways(status int, header http.Header) func(*http.Request, int) (*http.Response,
	error) {
	return func(req *http.Request, _ int) (*http.Response, error) {
		return fakeResponse(req, status, header.Clone(), "busy"), nil
	}
}

// mustURL parses rawURL or fails the test.
func mustURL(t testing.TB, rawURL string) *url.URL {
	t.Helper()
	u, err := url.Parse(rawURL)
	require.NoError(t, err)
	return u
}

// discardLogger returns a standard logger that writes nothing, for servers whose expected
// errors would clutter the test output.
func discardLogger() *log.Logger {
	return log.New(io.Discard, "", 0)
}
