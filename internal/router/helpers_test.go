package router_test

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
	"github.com/spacekit/spacekit/middleware"
)

// testAPIKey is the app key of the routers that the tests build.
const testAPIKey = "test-api-key"

// seen is what an echo handler received, as it writes it in its JSON response.
type seen struct {
	Micro       string      `json:"micro"`
	Method      string      `json:"method"`
	Path        string      `json:"path"`
	RawPath     string      `json:"raw_path"`
	EscapedPath string      `json:"escaped_path"`
	Query       string      `json:"query"`
	RequestURI  string      `json:"request_uri"`
	Host        string      `json:"host"`
	Header      http.Header `json:"header"`
	Body        string      `json:"body"`
}

// echo returns a handler that responds with what it received, as a seen.
func echo(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(seen{
			Micro: name, Method: r.Method, Path: r.URL.Path, RawPath: r.URL.RawPath,
			EscapedPath: r.URL.EscapedPath(), Query: r.URL.RawQuery, RequestURI: r.RequestURI,
			Host: r.Host, Header: r.Header, Body: string(body),
		})
	})
}

// threeMicros returns a primary "web", "api" at /api and "v1api" at /v1/api, each an echo.
func threeMicros() []router.Micro {
	return []router.Micro{
		{Name: "web", Primary: true, Handler: echo("web")},
		{Name: "api", Handler: echo("api")},
		{Name: "v1api", Path: "v1/api", Handler: echo("v1api")},
	}
}

// newSessions returns Sessions with a random key.
func newSessions(t testing.TB) *middleware.Sessions {
	t.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	s, err := middleware.NewSessions(middleware.SessionOptions{Keys: [][]byte{key}})
	require.NoError(t, err)
	return s
}

// newRouter builds a router with authentication off.
func newRouter(t testing.TB, micros ...router.Micro) *router.Router {
	t.Helper()
	r, err := router.New(router.Options{Micros: micros, NoAuth: true})
	require.NoError(t, err)
	return r
}

// newAuthRouter builds a router with authentication on, the key testAPIKey and sessions.
func newAuthRouter(t testing.TB, sessions *middleware.Sessions,
	micros ...router.Micro) *router.Router {
	t.Helper()
	r, err := router.New(router.Options{
		Micros: micros, APIKey: envconfig.Secret(testAPIKey), Sessions: sessions,
	})
	require.NoError(t, err)
	return r
}

// serve sends req through h and returns the recorded response.
func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// decodeSeen decodes an echo handler's response.
func decodeSeen(t *testing.T, rec *httptest.ResponseRecorder) seen {
	t.Helper()
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var s seen
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &s))
	return s
}

// echoMicros returns echo Micros from specs "name:path". The path "/" makes the Micro the
// primary; an empty path leaves Path empty.
func echoMicros(specs ...string) []router.Micro {
	micros := make([]router.Micro, len(specs))
	for i, spec := range specs {
		name, path, _ := strings.Cut(spec, ":")
		micros[i] = router.Micro{Name: name, Handler: echo(name)}
		if path == "/" {
			micros[i].Primary = true
		} else {
			micros[i].Path = path
		}
	}
	return micros
}
