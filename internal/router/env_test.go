package router_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
	"github.com/spacekit/spacekit/middleware"
)

// testSessionKey is a printable session key of 40 bytes.
const testSessionKey = "router-env-test-session-key-0123456789ab"

func TestMicroEnvVariables(t *testing.T) {
	t.Parallel()
	session := router.SessionConfig{Key: testSessionKey, CookieName: "app_session"}
	got, err := router.MicroEnv(router.MicroEnvSpec{Hostname: "localhost:4200",
		APIKey: "the-api-key", Name: "api", Session: session})
	require.NoError(t, err)
	assert.Equal(t, []router.EnvVar{
		{Name: "DETA_SPACE_APP_HOSTNAME", Value: "localhost:4200"},
		{Name: "DETA_API_KEY", Value: "the-api-key", Secret: true},
		{Name: "DETA_SPACE_APP_MICRO_NAME", Value: "api"},
		{Name: "DETA_SPACE_APP_MICRO_TYPE", Value: "normal"},
		{Name: "SPACEKIT_SESSION_KEY", Value: testSessionKey, Secret: true},
		{Name: "SPACEKIT_SESSION_COOKIE", Value: "app_session"},
	}, got)
}

func TestMicroEnvPrimaryDefaultCookie(t *testing.T) {
	t.Parallel()
	got, err := router.MicroEnv(router.MicroEnvSpec{Hostname: "127.0.0.1:5000",
		APIKey: "k", Name: "web", Primary: true,
		Session: router.SessionConfig{Key: testSessionKey}})
	require.NoError(t, err)
	vars := envVarMap(got)
	assert.Equal(t, "primary", vars["DETA_SPACE_APP_MICRO_TYPE"])
	assert.Equal(t, middleware.DefaultCookieName, vars["SPACEKIT_SESSION_COOKIE"],
		"the default cookie name is passed on, so the Micro need not know it")
	assert.NotContains(t, vars, "SPACEKIT_BASE_URL", "an IP address means http already")
}

func TestMicroEnvWithoutSessions(t *testing.T) {
	t.Parallel()
	got, err := router.MicroEnv(router.MicroEnvSpec{Hostname: "localhost:4200",
		APIKey: "k", Name: "web"})
	require.NoError(t, err)
	vars := envVarMap(got)
	assert.NotContains(t, vars, "SPACEKIT_SESSION_KEY")
	assert.NotContains(t, vars, "SPACEKIT_SESSION_COOKIE")
	assert.Len(t, got, 4)
}

func TestMicroEnvBaseURLForNonLocalHost(t *testing.T) {
	t.Parallel()
	got, err := router.MicroEnv(router.MicroEnvSpec{Hostname: "devbox.lan:4200",
		APIKey: "k", Name: "web"})
	require.NoError(t, err)
	assert.Equal(t, router.EnvVar{Name: "SPACEKIT_BASE_URL", Value: "http://devbox.lan:4200"},
		got[1], "a non-local host alone would mean https")

	cfg := loadEnv(t, got)
	assert.Equal(t, "http://devbox.lan:4200", cfg.BaseURL.String())
}

func TestMicroEnvLoads(t *testing.T) {
	t.Parallel()
	got, err := router.MicroEnv(router.MicroEnvSpec{Hostname: "localhost:4200",
		APIKey: "the-api-key", Name: "api",
		Session: router.SessionConfig{Key: testSessionKey, CookieName: "app_session"}})
	require.NoError(t, err)

	cfg := loadEnv(t, got)
	assert.Equal(t, "localhost:4200", cfg.Hostname)
	assert.Equal(t, "the-api-key", cfg.APIKey.Reveal())
	assert.Equal(t, "api", cfg.MicroName)
	assert.Equal(t, envconfig.MicroTypeNormal, cfg.MicroType)
	assert.Equal(t, testSessionKey, cfg.SessionKey.Reveal())
	assert.Equal(t, "app_session", cfg.SessionCookie)
}

func TestMicroEnvInvalid(t *testing.T) {
	t.Parallel()
	valid := router.MicroEnvSpec{Hostname: "localhost:4200", APIKey: "k", Name: "api",
		Session: router.SessionConfig{Key: testSessionKey}}
	tests := []struct {
		name     string
		change   func(*router.MicroEnvSpec)
		wantText string
	}{
		{"empty hostname", func(s *router.MicroEnvSpec) { s.Hostname = "" }, "Hostname"},
		{"hostname with scheme", func(s *router.MicroEnvSpec) {
			s.Hostname = "http://localhost:4200"
		}, "without a scheme"},
		{"hostname with space", func(s *router.MicroEnvSpec) {
			s.Hostname = " localhost:4200"
		}, "without a scheme or spaces"},
		{"hostname with path", func(s *router.MicroEnvSpec) {
			s.Hostname = "localhost:4200/x"
		}, "Hostname"},
		{"empty API key", func(s *router.MicroEnvSpec) { s.APIKey = "" }, "APIKey is empty"},
		{"empty name", func(s *router.MicroEnvSpec) { s.Name = "" }, `Name "" is invalid`},
		{"name with slash", func(s *router.MicroEnvSpec) { s.Name = "a/b" }, `Name "a/b"`},
		{"short session key", func(s *router.MicroEnvSpec) {
			s.Session.Key = envconfig.Secret(testSessionKey[:31])
		}, "session key has 31 bytes"},
		{"session key with space", func(s *router.MicroEnvSpec) {
			s.Session.Key = envconfig.Secret(testSessionKey[:20] + " " + testSessionKey[20:])
		}, "offset 20"},
		{"session key with newline", func(s *router.MicroEnvSpec) {
			s.Session.Key = envconfig.Secret(testSessionKey + "\n")
		}, "printable ASCII"},
		{"cookie name only", func(s *router.MicroEnvSpec) {
			s.Session = router.SessionConfig{CookieName: "app_session"}
		}, "session key has 0 bytes"},
		{"invalid cookie name", func(s *router.MicroEnvSpec) {
			s.Session.CookieName = "bad name"
		}, `cookie name "bad name" is invalid`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spec := valid
			tt.change(&spec)
			got, err := router.MicroEnv(spec)
			require.Error(t, err)
			assert.Nil(t, got)
			assert.Contains(t, err.Error(), tt.wantText)
			assert.NotContains(t, err.Error(), testSessionKey[:16], "the error shows the key")
		})
	}
}

func TestNewSessionKey(t *testing.T) {
	t.Parallel()
	first, second := router.NewSessionKey(), router.NewSessionKey()
	assert.Len(t, first.Reveal(), 43, "32 bytes in unpadded base64url")
	assert.NotEqual(t, first.Reveal(), second.Reveal())
	require.NoError(t, router.SessionConfig{Key: first}.Validate())
}

func TestSessionConfigNewSessionsRejectsKeys(t *testing.T) {
	t.Parallel()
	c := router.SessionConfig{Key: testSessionKey}
	_, err := c.NewSessions(middleware.SessionOptions{Keys: [][]byte{[]byte(testSessionKey)}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "set them in the SessionConfig")

	_, err = c.NewSessions(middleware.SessionOptions{CookieName: "other"})
	require.Error(t, err)
}

// TestMicroEnvVerifiesRouterSessions runs a router on a loopback server in front of a Micro
// that protects itself with middleware.AuthFromEnv and the environment from MicroEnv: the
// Micro admits the session cookie that the router issued and forwarded, and nothing else.
func TestMicroEnvVerifiesRouterSessions(t *testing.T) {
	t.Parallel()
	session := router.SessionConfig{Key: router.NewSessionKey(), CookieName: "app_session"}
	sessions, err := session.NewSessions(middleware.SessionOptions{})
	require.NoError(t, err)

	var microAuth http.Handler
	micro := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		microAuth.ServeHTTP(w, r)
	})
	rt, err := router.New(router.Options{
		Micros: []router.Micro{{Name: "api", Handler: micro,
			PublicRoutes: []string{"/open/*"}}},
		APIKey: envconfig.Secret(testAPIKey), Sessions: sessions,
	})
	require.NoError(t, err)
	srv := httptest.NewServer(rt)
	t.Cleanup(srv.Close)

	vars, err := router.MicroEnv(router.MicroEnvSpec{
		Hostname: strings.TrimPrefix(srv.URL, "http://"), APIKey: envconfig.Secret(testAPIKey), Name: "api",
		Primary: true, Session: session,
	})
	require.NoError(t, err)
	auth, err := middleware.AuthFromEnv(loadEnv(t, vars), middleware.AuthOptions{})
	require.NoError(t, err)
	microAuth = auth(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, _ := middleware.AuthInfoFrom(r.Context())
		fmt.Fprintf(w, "%s %s", info.Method, info.Session.Subject)
	}))

	cookie, err := sessions.NewCookie("owner", false)
	require.NoError(t, err)
	other := router.SessionConfig{Key: router.NewSessionKey(), CookieName: "app_session"}
	otherSessions, err := other.NewSessions(middleware.SessionOptions{})
	require.NoError(t, err)
	forged, err := otherSessions.NewCookie("owner", false)
	require.NoError(t, err)

	tests := []struct {
		name       string
		path       string
		cookie     *http.Cookie
		wantStatus int
		wantBody   string
	}{
		{"router's cookie", "/notes", cookie, 200, "session owner"},
		{"router's cookie, route public at the router", "/open/x", cookie, 200,
			"session owner"},
		{"no cookie, route public at the router", "/open/x", nil, 401, ""},
		{"other app's cookie, route public at the router", "/open/x", forged, 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+tt.path, nil)
			require.NoError(t, err)
			if tt.cookie != nil {
				req.AddCookie(tt.cookie)
			}
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.wantStatus, resp.StatusCode, string(body))
			if tt.wantStatus == http.StatusOK {
				assert.Equal(t, tt.wantBody, string(body))
			}
		})
	}
}

func envVarMap(vars []router.EnvVar) map[string]string {
	out := make(map[string]string, len(vars))
	for _, v := range vars {
		out[v.Name] = v.Value
	}
	return out
}

// loadEnv reads vars with envconfig, as a Micro reads its environment.
func loadEnv(t *testing.T, vars []router.EnvVar) envconfig.Config {
	t.Helper()
	m := envVarMap(vars)
	cfg, err := envconfig.LoadFrom(func(name string) (string, bool) {
		value, ok := m[name]
		return value, ok
	})
	require.NoError(t, err)
	return cfg
}
