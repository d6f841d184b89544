package middleware_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/middleware"
)

// Session keys of the AuthFromEnv tests: printable, as SPACEKIT_SESSION_KEY is, and 32 bytes
// or longer.
const (
	envSessionKey   = "env-session-key-0123456789abcdefXYZ"
	otherSessionKey = "other-session-key-0123456789abcdef"
)

// envConfig reads a Micro's configuration from vars, with the host and API key set.
func envConfig(t *testing.T, vars map[string]string) envconfig.Config {
	t.Helper()
	all := map[string]string{envconfig.EnvHostname: "localhost:4200",
		envconfig.EnvAPIKey: "env-api-key"}
	for name, value := range vars {
		all[name] = value
	}
	cfg, err := envconfig.LoadFrom(func(name string) (string, bool) {
		value, ok := all[name]
		return value, ok
	})
	require.NoError(t, err)
	return cfg
}

// issueCookie returns a session cookie for subject, signed with key under cookieName.
func issueCookie(t *testing.T, key, cookieName, subject string) *http.Cookie {
	t.Helper()
	sessions, err := middleware.NewSessions(middleware.SessionOptions{
		Keys: [][]byte{[]byte(key)}, CookieName: cookieName,
	})
	require.NoError(t, err)
	cookie, err := sessions.NewCookie(subject, false)
	require.NoError(t, err)
	return cookie
}

// protectFromEnv returns echoHandler behind AuthFromEnv with cfg and opts.
func protectFromEnv(t *testing.T, cfg envconfig.Config, opts middleware.AuthOptions) http.Handler {
	t.Helper()
	auth, err := middleware.AuthFromEnv(cfg, opts)
	require.NoError(t, err)
	return auth(echoHandler())
}

func TestAuthFromEnvSessionKey(t *testing.T) {
	t.Parallel()
	cfg := envConfig(t, map[string]string{envconfig.EnvSessionKey: envSessionKey,
		envconfig.EnvSessionCookie: "app_session"})
	h := protectFromEnv(t, cfg, middleware.AuthOptions{})

	tests := []struct {
		name       string
		cookie     *http.Cookie
		wantStatus int
		wantBody   string
	}{
		{"same key and name", issueCookie(t, envSessionKey, "app_session", "alice"), 200,
			"session / / alice"},
		{"other key", issueCookie(t, otherSessionKey, "app_session", "alice"), 401, ""},
		{"default cookie name", issueCookie(t, envSessionKey, "", "alice"), 401, ""},
		{"other cookie name", issueCookie(t, envSessionKey, "app_session2", "alice"), 401, ""},
		{"no cookie", nil, 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.cookie != nil {
				r.AddCookie(tt.cookie)
			}
			w := serve(h, r)
			assert.Equal(t, tt.wantStatus, w.Code)
			if tt.wantStatus == http.StatusOK {
				assert.Equal(t, tt.wantBody, w.Body.String())
			}
		})
	}
}

func TestAuthFromEnvDefaultCookieName(t *testing.T) {
	t.Parallel()
	cfg := envConfig(t, map[string]string{envconfig.EnvSessionKey: envSessionKey})
	h := protectFromEnv(t, cfg, middleware.AuthOptions{})

	r := httptest.NewRequest(http.MethodGet, "/", nil)
	cookie := issueCookie(t, envSessionKey, "", "bob")
	require.Equal(t, middleware.DefaultCookieName, cookie.Name)
	r.AddCookie(cookie)
	w := serve(h, r)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "session / / bob", w.Body.String())
}

func TestAuthFromEnvKeepsAPIKey(t *testing.T) {
	t.Parallel()
	cfg := envConfig(t, map[string]string{envconfig.EnvSessionKey: envSessionKey})
	h := protectFromEnv(t, cfg, middleware.AuthOptions{})

	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("X-API-Key", "env-api-key")
	w := serve(h, r)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "api_key / / ", w.Body.String())
}

func TestAuthFromEnvWithoutSessionKey(t *testing.T) {
	t.Parallel()
	cfg := envConfig(t, nil)
	h := protectFromEnv(t, cfg, middleware.AuthOptions{})

	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(issueCookie(t, envSessionKey, "", "alice"))
	w := serve(h, r)
	assert.Equal(t, http.StatusUnauthorized, w.Code, "no key, so no session verifies")
}

func TestAuthFromEnvOptionSessionsWin(t *testing.T) {
	t.Parallel()
	cfg := envConfig(t, map[string]string{envconfig.EnvSessionKey: envSessionKey})
	own, err := middleware.NewSessions(middleware.SessionOptions{
		Keys: [][]byte{[]byte(otherSessionKey)},
	})
	require.NoError(t, err)
	h := protectFromEnv(t, cfg, middleware.AuthOptions{Sessions: own})

	fromEnv := httptest.NewRequest(http.MethodGet, "/", nil)
	fromEnv.AddCookie(issueCookie(t, envSessionKey, "", "alice"))
	assert.Equal(t, http.StatusUnauthorized, serve(h, fromEnv).Code,
		"opts.Sessions replaces the key from the environment")

	fromOwn := httptest.NewRequest(http.MethodGet, "/", nil)
	fromOwn.AddCookie(issueCookie(t, otherSessionKey, "", "carol"))
	w := serve(h, fromOwn)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "session / / carol", w.Body.String())
}

func TestAuthFromEnvInvalidSession(t *testing.T) {
	t.Parallel()
	// envconfig rejects a short key, so this Config is built by hand, as a caller may.
	short := envconfig.Config{APIKey: "env-api-key", SessionKey: "short-session-key"}
	badCookie := envconfig.Config{APIKey: "env-api-key", SessionKey: envSessionKey,
		SessionCookie: "bad name;"}

	tests := []struct {
		name     string
		cfg      envconfig.Config
		wantText string
	}{
		{"short key", short, envconfig.EnvSessionKey + ") has 17 bytes"},
		{"invalid cookie name", badCookie, envconfig.EnvSessionCookie},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			auth, err := middleware.AuthFromEnv(tt.cfg, middleware.AuthOptions{})
			require.Error(t, err)
			assert.Nil(t, auth)
			assert.True(t, errors.Is(err, middleware.ErrInvalidOption), "error: %v", err)
			assert.Contains(t, err.Error(), tt.wantText)
			key := tt.cfg.SessionKey.Reveal()
			assert.NotContains(t, err.Error(), key, "the error shows the session key")
			assert.False(t, strings.Contains(err.Error(), key[:16]),
				"the error shows part of the session key")
		})
	}
}
