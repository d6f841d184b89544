package client

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// redirectTo returns a handler that redirects every request to location with 302.
func redirectTo(location string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, location, http.StatusFound)
	}
}

// routes returns a handler that serves each path with its own handler, and 404 otherwise.
func routes(handlers map[string]http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h, ok := handlers[r.URL.Path]; ok {
			h(w, r)
			return
		}
		http.NotFound(w, r)
	}
}

// lateRoutes lets a test server's routes name the URL of a server started after it.
type lateRoutes struct {
	handlers map[string]http.HandlerFunc
}

func (l *lateRoutes) serve(w http.ResponseWriter, r *http.Request) {
	routes(l.handlers)(w, r)
}

func TestRedirectKeyStaysOnOrigin(t *testing.T) {
	t.Parallel()
	appRoutes := &lateRoutes{}
	app := newTestServer(t, appRoutes.serve)
	otherRoutes := &lateRoutes{}
	other := newTestServer(t, otherRoutes.serve)
	appRoutes.handlers = map[string]http.HandlerFunc{
		"/to-other":      redirectTo(other.URL + "/landing?token=secret-value"),
		"/to-other-hop":  redirectTo(other.URL + "/hop"),
		"/to-other-back": redirectTo(other.URL + "/back"),
		"/old":           redirectTo("/new"),
		"/new":           always(http.StatusOK, "app"),
		"/home":          always(http.StatusOK, "app"),
	}
	otherRoutes.handlers = map[string]http.HandlerFunc{
		"/landing": always(http.StatusOK, "other"),
		"/hop":     redirectTo("/landing"),
		"/back":    redirectTo(app.URL + "/home"),
	}
	c := newTestClient(t, app.URL)

	tests := []struct {
		name      string
		path      string
		wantBody  string
		wantOther []string // RequestURIs that the other origin must receive without the key
		wantApp   []string // RequestURIs that the app must receive with the key
	}{
		{
			name:      "other port",
			path:      "/to-other?q=1",
			wantBody:  "other",
			wantOther: []string{"/landing?token=secret-value"},
			wantApp:   []string{"/to-other?q=1"},
		},
		{
			name:      "two hops on the other origin",
			path:      "/to-other-hop",
			wantBody:  "other",
			wantOther: []string{"/hop", "/landing"},
			wantApp:   []string{"/to-other-hop"},
		},
		{
			name:      "back to the app",
			path:      "/to-other-back",
			wantBody:  "app",
			wantOther: []string{"/back"},
			wantApp:   []string{"/to-other-back", "/home"},
		},
		{
			name:     "same origin",
			path:     "/old",
			wantBody: "app",
			wantApp:  []string{"/old", "/new"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			appBefore, otherBefore := app.Count(), other.Count()

			resp, err := c.Get(t.Context(), tt.path)

			require.NoError(t, err)
			assert.Equal(t, tt.wantBody, readAndClose(t, resp))
			otherGot := other.Requests()[otherBefore:]
			require.Len(t, otherGot, len(tt.wantOther))
			for i, r := range otherGot {
				assert.Equal(t, tt.wantOther[i], r.RequestURI)
				assert.Empty(t, r.Header.Values(apiKeyHeader), "key sent to %s", r.RequestURI)
				assert.Empty(t, r.Header.Values("Referer"), "referer sent to %s", r.RequestURI)
			}
			appGot := app.Requests()[appBefore:]
			require.Len(t, appGot, len(tt.wantApp))
			for i, r := range appGot {
				assert.Equal(t, tt.wantApp[i], r.RequestURI)
				assert.Equal(t, []string{testKey}, r.Header.Values(apiKeyHeader))
			}
		})
	}
}

func TestRedirectHTTPSToHTTPDropsKey(t *testing.T) {
	t.Parallel()
	plain := newTestServer(t, always(http.StatusOK, "plain"))
	var mu sync.Mutex
	var secureKeys []string
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		mu.Lock()
		secureKeys = append(secureKeys, r.Header.Get(apiKeyHeader))
		mu.Unlock()
		redirectTo(plain.URL+"/landing")(w, r)
	}))
	t.Cleanup(secure.Close)
	c := newTestClient(t, secure.URL, WithHTTPClient(secure.Client()))

	resp, err := c.Get(t.Context(), "/start")

	require.NoError(t, err)
	assert.Equal(t, "plain", readAndClose(t, resp))
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{testKey}, secureKeys)
	require.Len(t, plain.Requests(), 1)
	assert.Empty(t, plain.Requests()[0].Header.Values(apiKeyHeader))
}

func TestRedirectLogsKeyRemoval(t *testing.T) {
	t.Parallel()
	other := newTestServer(t, always(http.StatusOK, "other"))
	app := newTestServer(t, redirectTo(other.URL+"/landing?token=secret-value"))
	logger, logs := newTestLogger()
	c := newTestClient(t, app.URL, WithLogger(logger))

	resp, err := c.Get(t.Context(), "/start?page=2")

	require.NoError(t, err)
	readAndClose(t, resp)
	assert.Equal(t, []map[string]any{{
		"level":    "WARN",
		"msg":      "client: redirect leaves the app's origin; X-API-Key removed",
		"method":   "GET",
		"path":     "/start?page=REDACTED",
		"location": other.URL + "/landing?token=REDACTED",
	}}, logs.Lines(t))
	assert.NotContains(t, logs.String(), testKey)
	assert.NotContains(t, logs.String(), "secret-value")
}

func TestRedirectPolicyOfHTTPClient(t *testing.T) {
	t.Parallel()
	other := newTestServer(t, always(http.StatusOK, "other"))
	app := newTestServer(t, redirectTo(other.URL+"/landing"))
	errRefused := errors.New("redirect refused by the caller")

	tests := []struct {
		name       string
		policy     func(*http.Request, []*http.Request) error
		wantStatus int
		wantErr    error
		wantOther  int
	}{
		{
			name:       "policy follows",
			policy:     func(*http.Request, []*http.Request) error { return nil },
			wantStatus: http.StatusOK,
			wantOther:  1,
		},
		{
			name: "policy keeps the last response",
			policy: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
			wantStatus: http.StatusFound,
		},
		{
			name:    "policy refuses",
			policy:  func(*http.Request, []*http.Request) error { return errRefused },
			wantErr: errRefused,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			appBefore, otherBefore := app.Count(), other.Count()
			hc := &http.Client{CheckRedirect: tt.policy}
			c := newTestClient(t, app.URL, WithHTTPClient(hc))

			resp, err := c.Get(t.Context(), "/start")

			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Equal(t, 1, requireError(t, err).Attempts, "a refused redirect is final")
			} else {
				require.NoError(t, err)
				assert.Equal(t, tt.wantStatus, resp.StatusCode)
				readAndClose(t, resp)
			}
			assert.Equal(t, 1, app.Count()-appBefore)
			otherGot := other.Requests()[otherBefore:]
			require.Len(t, otherGot, tt.wantOther)
			for _, r := range otherGot {
				assert.Empty(t, r.Header.Values(apiKeyHeader))
			}
		})
	}
}

func TestRedirectLoopStopsAfterTenHops(t *testing.T) {
	t.Parallel()
	app := newTestServer(t, redirectTo("/again"))
	c := newTestClient(t, app.URL)

	resp, err := c.Get(t.Context(), "/start")

	assert.Nil(t, resp)
	e := requireError(t, err)
	assert.Equal(t, 1, e.Attempts)
	assert.Equal(t, http.StatusFound, e.StatusCode)
	assert.EqualError(t, err, "client: GET "+app.URL+`/start: 302 Found after 1 attempt: `+
		`Get "/again": stopped after 10 redirects`)
	assert.Equal(t, 10, app.Count())
}

func TestSameOrigin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://app.example", "https://app.example/x", true},
		{"https://app.example", "https://APP.example", true},
		{"https://app.example", "HTTPS://app.example", true},
		{"https://app.example", "https://app.example:443", true},
		{"http://app.example", "http://app.example:80", true},
		{"http://[::1]:8080", "http://[::1]:8080/x", true},
		{"https://app.example", "http://app.example", false},
		{"https://app.example", "https://app.example:8443", false},
		{"http://127.0.0.1:1000", "http://127.0.0.1:1001", false},
		{"http://127.0.0.1:1000", "http://localhost:1000", false},
		{"https://app.example", "https://app.example.", false},
		{"https://app.example", "https://evil.example", false},
		{"https://app.example", "https://app.example.evil.example", false},
	}
	for _, tt := range tests {
		got := sameOrigin(mustURL(t, tt.a), mustURL(t, tt.b))
		assert.Equal(t, tt.want, got, "%s and %s", tt.a, tt.b)
	}
}

// dualListener accepts connections on one loopback port and hands each to the TLS or the plain
// listener, by its first byte: 0x16 starts a TLS handshake record.
type dualListener struct {
	net.Listener
	tls, plain *connQueue
}

// connQueue is a net.Listener that returns the connections that dualListener hands it.
type connQueue struct {
	addr   net.Addr
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func newConnQueue(addr net.Addr) *connQueue {
	return &connQueue{addr: addr, conns: make(chan net.Conn), closed: make(chan struct{})}
}

func (q *connQueue) Accept() (net.Conn, error) {
	select {
	case conn := <-q.conns:
		return conn, nil
	case <-q.closed:
		return nil, net.ErrClosed
	}
}

func (q *connQueue) Close() error {
	q.once.Do(func() { close(q.closed) })
	return nil
}

func (q *connQueue) Addr() net.Addr { return q.addr }

// peekedConn is a connection whose first bytes were read into r.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// serve hands each accepted connection to the TLS or plain queue until the listener closes.
func (l *dualListener) serve() {
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		wg.Go(func() {
			r := bufio.NewReader(conn)
			first, err := r.Peek(1)
			queue := l.plain
			if err == nil && first[0] == 0x16 {
				queue = l.tls
			}
			select {
			case queue.conns <- peekedConn{Conn: conn, r: r}:
			case <-queue.closed:
				_ = conn.Close()
			}
		})
	}
}

// newDualServers starts a TLS server and a plain HTTP server on the same loopback port, so that
// their origins differ in the scheme alone.
func newDualServers(t *testing.T, secureHandler, plainHandler http.Handler) (secure,
	plain *httptest.Server) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dual := &dualListener{Listener: l, tls: newConnQueue(l.Addr()), plain: newConnQueue(l.Addr())}
	done := make(chan struct{})
	go func() {
		defer close(done)
		dual.serve()
	}()

	secure = httptest.NewUnstartedServer(secureHandler)
	require.NoError(t, secure.Listener.Close())
	secure.Listener = dual.tls
	secure.StartTLS()
	plain = httptest.NewUnstartedServer(plainHandler)
	require.NoError(t, plain.Listener.Close())
	plain.Listener = dual.plain
	plain.Start()
	t.Cleanup(func() {
		secure.Close()
		plain.Close()
		_ = l.Close()
		<-done
	})
	return secure, plain
}

func TestRedirectDowngradeOnSamePortDropsKey(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var secureKeys, plainKeys []string
	record := func(keys *[]string, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		*keys = append(*keys, r.Header.Get(apiKeyHeader))
	}
	var plainURL string
	secure, plain := newDualServers(t,
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			record(&secureKeys, r)
			redirectTo(plainURL+"/landing")(w, r)
		}),
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			record(&plainKeys, r)
			_, _ = io.WriteString(w, "plain")
		}))
	plainURL = plain.URL
	require.Equal(t, strings.TrimPrefix(secure.URL, "https://"),
		strings.TrimPrefix(plain.URL, "http://"), "the servers must share host and port")
	c := newTestClient(t, secure.URL, WithHTTPClient(secure.Client()))

	resp, err := c.Get(t.Context(), "/start")

	require.NoError(t, err)
	assert.Equal(t, "plain", readAndClose(t, resp))
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{testKey}, secureKeys, "the https origin gets the key")
	assert.Equal(t, []string{""}, plainKeys, "the http hop on the same host and port must not")
}

func TestRedirectDropsKeyInAnySpelling(t *testing.T) {
	t.Parallel()
	other := newTestServer(t, always(http.StatusOK, "other"))
	app := newTestServer(t, redirectTo(other.URL+"/landing"))
	c := newTestClient(t, app.URL)
	req, err := c.NewRequest(t.Context(), http.MethodGet, "/start", nil)
	require.NoError(t, err)
	// Writing to the map directly skips the canonical spelling "X-Api-Key".
	req.Header["x-api-key"] = []string{testKey}
	req.Header["referer"] = []string{app.URL + "/page?token=secret-value"}

	resp, err := c.Do(req)

	require.NoError(t, err)
	assert.Equal(t, "other", readAndClose(t, resp))
	require.Len(t, other.Requests(), 1)
	assert.Empty(t, other.Requests()[0].Header.Values(apiKeyHeader))
	assert.Empty(t, other.Requests()[0].Header.Values("Referer"))
}
