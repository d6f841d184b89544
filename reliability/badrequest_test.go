package reliability

import (
	"bufio"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
	"github.com/spacekit/spacekit/middleware"
)

// seenRequest is what a Micro's handler received.
type seenRequest struct {
	micro, method, path, escapedPath, forwardedHost string
}

// seenLog records the requests that reach the Micros of a test router.
type seenLog struct {
	mu   sync.Mutex
	seen []seenRequest
}

func (l *seenLog) handler(micro string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.seen = append(l.seen, seenRequest{micro: micro, method: r.Method, path: r.URL.Path,
			escapedPath: r.URL.EscapedPath(), forwardedHost: r.Header.Get("X-Forwarded-Host")})
		l.mu.Unlock()
		_, _ = io.WriteString(w, "reached "+micro)
	})
}

// take returns the requests seen since the last call and clears the log.
func (l *seenLog) take() []seenRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	seen := l.seen
	l.seen = nil
	return seen
}

// badInputRouter is the platform's router on a loopback server, in front of three Micros
// that record what reaches them: web (primary), api at /api with the public route
// "/public/*", and v1api at /v1/api.
type badInputRouter struct {
	srv  *httptest.Server
	seen *seenLog
	key  string
}

func newBadInputRouter(t *testing.T) *badInputRouter {
	t.Helper()
	key := make([]byte, middleware.MinSessionKeyBytes)
	_, _ = rand.Read(key)
	sessions, err := middleware.NewSessions(middleware.SessionOptions{Keys: [][]byte{key}})
	require.NoError(t, err)
	b := &badInputRouter{seen: &seenLog{}, key: badInputKey}
	r, err := router.New(router.Options{APIKey: envconfig.Secret(b.key), Sessions: sessions,
		Micros: []router.Micro{
			{Name: "web", Primary: true, Handler: b.seen.handler("web")},
			{Name: "api", Handler: b.seen.handler("api"), PublicRoutes: []string{"/public/*"}},
			{Name: "v1api", Path: "/v1/api", Handler: b.seen.handler("v1api")},
		}})
	require.NoError(t, err)
	b.srv = httptest.NewServer(r)
	t.Cleanup(b.srv.Close)
	return b
}

// rawResponse is a response read from a connection.
type rawResponse struct {
	status int
	header http.Header
	body   string
}

// send writes one request with the exact request target and header lines given, which
// net/http's client would normalise, and reads the response.
func (b *badInputRouter) send(t *testing.T, method, target string, lines []string) rawResponse {
	t.Helper()
	conn, err := net.Dial("tcp", b.srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))

	var req strings.Builder
	fmt.Fprintf(&req, "%s %s HTTP/1.1\r\nHost: notes.example\r\nConnection: close\r\n",
		method, target)
	for _, line := range lines {
		req.WriteString(line + "\r\n")
	}
	req.WriteString("\r\n")
	_, err = io.WriteString(conn, req.String())
	require.NoError(t, err)

	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

func TestBadInputRequestPaths(t *testing.T) {
	t.Parallel()
	b := newBadInputRouter(t)
	withKey := []string{"X-API-Key: " + badInputKey}
	tests := []struct {
		name    string
		method  string
		target  string
		header  []string
		want    int
		micro   string // the Micro that must receive the request, or "" for none
		path    string // the decoded path it must receive
		escaped string // the escaped path it must receive
	}{
		{"encoded dot-dot leaves api", "GET", "/api/%2e%2e/secret", nil, 401, "", "", ""},
		{"encoded dot-dot with key", "GET", "/api/%2e%2e/secret", withKey, 200, "web",
			"/secret", "/secret"},
		{"dot-dot with encoded slash", "GET", "/api/public/..%2fprivate", nil, 401, "", "", ""},
		{"encoded dot-dot from public", "GET", "/api/public/%2e%2e/private", nil, 401, "", "",
			""},
		{"encoded slash after public", "GET", "/api/public%2Fsecret", nil, 401, "", "", ""},
		{"public route", "GET", "/api/public/ok", nil, 200, "api", "/public/ok", "/public/ok"},
		{"prefix in capitals", "GET", "/API/x", withKey, 200, "web", "/API/x", "/API/x"},
		{"prefix as word start", "GET", "/apiary", withKey, 200, "web", "/apiary", "/apiary"},
		{"leading double slash", "GET", "//api/x", withKey, 200, "api", "/x", "/x"},
		{"dot segments", "GET", "/api/./x/../y", withKey, 200, "api", "/y", "/y"},
		{"encoded slash kept", "GET", "/api/files/a%2Fb", withKey, 200, "api", "/files/a/b",
			"/files/a%2Fb"},
		{"encoded slash in prefix", "GET", "/api%2Fx", withKey, 200, "api", "/x", "/x"},
		{"two-segment prefix", "GET", "/v1/api/x", withKey, 200, "v1api", "/x", "/x"},
		{"two-segment prefix as word start", "GET", "/v1/apix", withKey, 200, "web", "/v1/apix",
			"/v1/apix"},
		{"NUL byte", "GET", "/api/a%00b", withKey, 200, "api", "/a\x00b", "/a%00b"},
		{"invalid UTF-8", "GET", "/api/%ff", withKey, 200, "api", "/\xff", "/%ff"},
		{"invalid escape", "GET", "/api/%zz", withKey, 400, "", "", ""},
		{"runtime actions path", "POST", "/api/__space/v0/actions", withKey, 404, "", "", ""},
		{"login without token", "GET", "/__space/login", nil, 400, "", "", ""},
		{"path of 8 KiB", "GET", "/api/" + strings.Repeat("x", 8<<10), withKey, 200, "api",
			"/" + strings.Repeat("x", 8<<10), "/" + strings.Repeat("x", 8<<10)},
		{"path of 2 MiB", "GET", "/api/" + strings.Repeat("x", 2<<20), withKey, 431, "", "", ""},
		{"absolute-form target", "GET", "http://evil.example/api/x", withKey, 200, "api", "/x",
			"/x"},
	}
	for _, tt := range tests {
		// The cases share the router's log of what reached the Micros, so they run in turn.
		t.Run(tt.name, func(t *testing.T) {
			resp := b.send(t, tt.method, tt.target, tt.header)
			assert.Equal(t, tt.want, resp.status, resp.body)
			seen := b.seen.take()
			if tt.micro == "" {
				assert.Empty(t, seen, "no Micro may receive the request")
				return
			}
			require.Len(t, seen, 1)
			assert.Equal(t, tt.micro, seen[0].micro)
			assert.Equal(t, tt.path, seen[0].path)
			assert.Equal(t, tt.escaped, seen[0].escapedPath)
		})
	}
}

// unauthorizedBody returns the JSON body of a 401 with message.
func unauthorizedBody(message string) string {
	body, _ := json.Marshal(map[string]string{"error": "unauthorized", "message": message})
	return string(body) + "\n"
}

// Messages of the router's 401 responses.
const (
	msgNoCredentials = "authentication required: send an X-API-Key or X-Space-App-Key " +
		"header, or log in"
	msgInvalidAPIKey   = "the X-API-Key header does not contain a valid key"
	msgAppKeysOff      = "this Micro does not accept X-Space-App-Key: enable presets.api_keys in the Spacefile"
	msgSessionExpired  = "the session has expired: log in again"
	msgInvalidSession  = "the session cookie is invalid: log in again"
	headerTooLargeBody = "431 Request Header Fields Too Large"
)

func TestBadInputAPIKeyHeader(t *testing.T) {
	t.Parallel()
	b := newBadInputRouter(t)
	key := b.key
	tests := []struct {
		name     string
		header   []string
		want     int
		wantBody string // the exact body of a rejection, or "" when the request is admitted
	}{
		{"valid key", []string{"X-API-Key: " + key}, 200, ""},
		{"lower-case header name", []string{"x-api-key: " + key}, 200, ""},
		{"key padded with spaces", []string{"X-API-Key:   " + key + "  "}, 200, ""},
		{"key repeated", []string{"X-API-Key: " + key, "X-API-Key: " + key}, 401,
			unauthorizedBody(msgInvalidAPIKey)},
		{"valid and wrong key", []string{"X-API-Key: " + key, "X-API-Key: wrong"}, 401,
			unauthorizedBody(msgInvalidAPIKey)},
		{"empty key", []string{"X-API-Key:"}, 401, unauthorizedBody(msgInvalidAPIKey)},
		{"key in other case", []string{"X-API-Key: " + strings.ToUpper(key)}, 401,
			unauthorizedBody(msgInvalidAPIKey)},
		{"key with suffix", []string{"X-API-Key: " + key + "x"}, 401,
			unauthorizedBody(msgInvalidAPIKey)},
		{"key of 4097 bytes", []string{"X-API-Key: " + key + strings.Repeat("k", 4097-len(key))},
			401, unauthorizedBody(msgInvalidAPIKey)},
		{"key of 64 KiB", []string{"X-API-Key: " + strings.Repeat("k", 64<<10)}, 401,
			unauthorizedBody(msgInvalidAPIKey)},
		{"key of 2 MiB", []string{"X-API-Key: " + strings.Repeat("k", 2<<20)}, 431,
			headerTooLargeBody},
		{"key with NUL byte", []string{"X-API-Key: " + key + "\x00"}, 400, ""},
		{"key as bearer token", []string{"Authorization: Bearer " + key}, 401,
			unauthorizedBody(msgNoCredentials)},
		{"API key as app key", []string{"X-Space-App-Key: " + key}, 401,
			unauthorizedBody(msgAppKeysOff)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := b.send(t, http.MethodGet, "/api/x", tt.header)
			assert.Equal(t, tt.want, resp.status, resp.body)
			seen := b.seen.take()
			if tt.want == http.StatusOK {
				assert.Len(t, seen, 1)
				return
			}
			assert.Empty(t, seen, "no Micro may receive the request")
			if tt.wantBody != "" {
				assert.Equal(t, tt.wantBody, resp.body)
			}
			if tt.want == http.StatusUnauthorized {
				assert.Equal(t, "Deta-spacekit", resp.header.Get("Server"))
				assert.Equal(t, "no-store", resp.header.Get("Cache-Control"))
			}
			assert.NotContains(t, resp.body, key)
		})
	}
}

func TestBadInputBrowserWithWrongKey(t *testing.T) {
	t.Parallel()
	b := newBadInputRouter(t)
	resp := b.send(t, http.MethodGet, "/api/x?a=1", []string{"X-API-Key: wrong",
		"Accept: text/html"})
	assert.Equal(t, http.StatusFound, resp.status)
	assert.Equal(t, "/__space/login?redirect_uri=%2Fapi%2Fx%3Fa%3D1", resp.header.Get("Location"))
	assert.Empty(t, b.seen.take())
}
