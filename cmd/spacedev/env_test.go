package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
	"github.com/spacekit/spacekit/middleware"
	"github.com/spacekit/spacekit/spacefile"
)

func lookupIn(env map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		value, ok := env[name]
		return value, ok
	}
}

// testSessionKey is a printable session key of 32 bytes.
const testSessionKey = "test-session-key-0123456789abcde"

func testKeys() appKeys {
	return appKeys{APIKey: "api-key", ProjectKey: "abcd1234_secret", SessionKey: testSessionKey}
}

// testSession is the session configuration of testKeys, as "spacedev up" makes it.
func testSession() router.SessionConfig {
	return router.SessionConfig{Key: testSessionKey, CookieName: "spacedev_session_0a1b2c3d"}
}

func TestMicroEnv(t *testing.T) {
	m := &microPlan{port: 41000, spec: &spacefile.Micro{Name: "api", Presets: spacefile.Presets{
		Env: []spacefile.EnvPreset{
			{Name: "GREETING", Default: "hello"},
			{Name: "COLOR", Default: "blue"},
			{Name: "DB_PASSWORD"},
			{Name: "UNSET"},
			{Name: "PORT", Default: "1"},
		},
	}}}
	shell := lookupIn(map[string]string{"COLOR": "red", "GREETING": "  ", "DB_PASSWORD": "pw"})

	got, err := microEnv(m, envSource{hostname: "localhost:4200", keys: testKeys(),
		session: testSession(), shell: shell})
	require.NoError(t, err)
	assert.Equal(t, []envVar{
		{"PORT", "41000", false},
		{"DETA_SPACE_APP_HOSTNAME", "localhost:4200", false},
		{"DETA_API_KEY", "api-key", true},
		{"DETA_SPACE_APP_MICRO_NAME", "api", false},
		{"DETA_SPACE_APP_MICRO_TYPE", "normal", false},
		{"SPACEKIT_SESSION_KEY", testSessionKey, true},
		{"SPACEKIT_SESSION_COOKIE", "spacedev_session_0a1b2c3d", false},
		{"DETA_PROJECT_KEY", "abcd1234_secret", true},
		{"DETA_SPACE_APP_VERSION", "dev", false},
		{"DETA_SPACE_APP", "false", false},
		{"GREETING", "hello", false}, // a blank shell value counts as unset
		{"COLOR", "red", false},
		{"DB_PASSWORD", "pw", true},
	}, got)
}

func TestMicroEnvBaseURLForNonLocalHost(t *testing.T) {
	m := &microPlan{port: 41000, spec: &spacefile.Micro{Name: "web", Primary: true}}
	got, err := microEnv(m, envSource{hostname: "devbox.lan:4200", keys: testKeys(),
		shell: lookupIn(nil)})
	require.NoError(t, err)
	assert.Contains(t, got, envVar{"SPACEKIT_BASE_URL", "http://devbox.lan:4200", false},
		"a non-local hostname alone would mean https")
	assert.Contains(t, got, envVar{"DETA_SPACE_APP_MICRO_TYPE", "primary", false})

	cfg, err := envconfig.LoadFrom(lookupIn(envMap(got)))
	require.NoError(t, err)
	assert.Equal(t, "http://devbox.lan:4200", cfg.BaseURL.String())
	assert.NotContains(t, envMap(got), "SPACEKIT_SESSION_KEY", "no sessions without a config")
}

func TestMicroEnvSessionMatchesRouter(t *testing.T) {
	dir := t.TempDir()
	u := &upRun{app: &app{dir: dir}, keys: testKeys()}
	m := &microPlan{port: 41000, spec: &spacefile.Micro{Name: "web", Primary: true}}
	got, err := microEnv(m, envSource{hostname: "localhost:4200", keys: u.keys,
		session: u.sessionConfig(), shell: lookupIn(nil)})
	require.NoError(t, err)
	cfg, err := envconfig.LoadFrom(lookupIn(envMap(got)))
	require.NoError(t, err)
	assert.Equal(t, testSessionKey, cfg.SessionKey.Reveal())
	assert.Equal(t, sessionCookieName(dir), cfg.SessionCookie)

	// A cookie of the router's Sessions passes the Micro's own check.
	sessions, err := u.sessionConfig().NewSessions(middleware.SessionOptions{})
	require.NoError(t, err)
	cookie, err := sessions.NewCookie(ownerSubject, false)
	require.NoError(t, err)
	assert.Equal(t, cfg.SessionCookie, cookie.Name)
	auth, err := middleware.AuthFromEnv(cfg, middleware.AuthOptions{})
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(cookie)
	rec := httptest.NewRecorder()
	auth(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {})).ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code)

	u.opts.noAuth = true
	got, err = microEnv(m, envSource{hostname: "localhost:4200", keys: u.keys,
		session: u.sessionConfig(), shell: lookupIn(nil)})
	require.NoError(t, err)
	assert.NotContains(t, envMap(got), "SPACEKIT_SESSION_KEY", "--no-auth has no sessions")
	assert.NotContains(t, envMap(got), "SPACEKIT_SESSION_COOKIE")
}

func envMap(vars []envVar) map[string]string {
	out := map[string]string{}
	for _, v := range vars {
		out[v.name] = v.value
	}
	return out
}

func TestProcessEnv(t *testing.T) {
	parent := []string{"HOME=/home/dev", "PORT=1", "SPACEKIT_BASE_URL=http://x", "EMPTY="}
	vars := []envVar{{"PORT", "41000", false}, {"DETA_API_KEY", "k", true}}
	assert.Equal(t, []string{"HOME=/home/dev", "EMPTY=", "PORT=41000", "DETA_API_KEY=k"},
		processEnv(parent, vars))
}

func TestHostnameFor(t *testing.T) {
	tests := []struct {
		addr, port, want string
	}{
		{"localhost:4200", "4200", "localhost:4200"},
		{"127.0.0.1:0", "38001", "127.0.0.1:38001"},
		{":4200", "4200", "localhost:4200"},
		{"0.0.0.0:4200", "4200", "localhost:4200"},
		{"[::]:4200", "4200", "localhost:4200"},
		{"[::1]:4200", "4200", "[::1]:4200"},
		{"devbox.lan:80", "80", "devbox.lan:80"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			got, err := hostnameFor(tt.addr, tt.port)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	_, err := hostnameFor("localhost", "1")
	assert.ErrorContains(t, err, `--addr "localhost": `)
	assert.ErrorContains(t, err, "use host:port, such as localhost:4200")
}

func TestRouterHostname(t *testing.T) {
	got, err := routerHostname("localhost:0", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5123})
	require.NoError(t, err)
	assert.Equal(t, "localhost:5123", got)
}

func TestLooksSecret(t *testing.T) {
	for name, want := range map[string]bool{
		"API_KEY": true, "github_token": true, "DB_PASSWORD": true, "SECRET": true,
		"GREETING": false, "PORT": false, "COLOR": false,
	} {
		assert.Equal(t, want, looksSecret(name), name)
	}
}

func TestFormatEnvValue(t *testing.T) {
	tests := []struct {
		v      envVar
		reveal bool
		want   string
	}{
		{envVar{"A", "plain", false}, false, "plain"},
		{envVar{"A", "two words", false}, false, `"two words"`},
		{envVar{"A", "", false}, false, `""`},
		{envVar{"A", "$HOME", false}, false, `"$HOME"`},
		{envVar{"K", "secret", true}, false, "[REDACTED]"},
		{envVar{"K", "secret", true}, true, "secret"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, formatEnvValue(tt.v, tt.reveal), tt.v.value)
	}
}
