package spacetest_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/middleware"
	"github.com/spacekit/spacekit/spacetest"
)

func TestEnv(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t,
		spacetest.Micro{Name: "web", Primary: true, Handler: echo("web"),
			Env: map[string]string{"NOTES_TITLE": "My notes", "DETA_SPACE_APP_VERSION": "1.2"}},
		spacetest.Micro{Name: "api", Handler: echo("api")},
	)

	web, api := app.Env("web"), app.Env("api")

	assert.Equal(t, spacetest.Hostname, web.Hostname)
	assert.Equal(t, "http://app.spacetest.localhost", web.BaseURL.String())
	assert.Equal(t, app.URL(), web.BaseURL.String())
	assert.Equal(t, "web", web.MicroName)
	assert.Equal(t, envconfig.MicroTypePrimary, web.MicroType)
	assert.Equal(t, "1.2", web.Version)
	title, ok := web.Lookup("NOTES_TITLE")
	assert.True(t, ok)
	assert.Equal(t, "My notes", title)
	assert.Equal(t, "api", api.MicroName)
	assert.Equal(t, envconfig.MicroTypeNormal, api.MicroType)
	_, ok = api.Lookup("NOTES_TITLE")
	assert.False(t, ok)
	require.False(t, web.APIKey.IsZero())
	assert.Equal(t, web.APIKey, api.APIKey, "one key per app")
	assert.Len(t, web.APIKey.Reveal(), len("sk_api_")+26)
	assert.NotContains(t, web.APIKey.String(), "sk_api_")
	assert.NoError(t, web.Validate())
}

func TestEnvKeyDiffersPerApp(t *testing.T) {
	t.Parallel()
	first := spacetest.New(t, micros3()...)
	second := spacetest.New(t, micros3()...)
	assert.NotEqual(t, first.Env("web").APIKey, second.Env("web").APIKey)
	resp, err := first.Client("web").Get(context.Background(), "/api/x")
	require.NoError(t, err)
	_ = readAll(t, resp)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestClientIsConfiguredFromEnv(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, micros3()...)
	c := app.Client("api", client.WithRetryMax(0))
	assert.Equal(t, "http://app.spacetest.localhost", c.BaseURL().String())

	var out seen
	require.NoError(t, c.PostJSON(context.Background(), "/v1/api/items", map[string]int{"n": 1},
		&out))

	assert.Equal(t, "v1api", out.Micro)
	assert.Equal(t, "/items", out.Path)
	assert.Equal(t, `{"n":1}`, out.Body)
	assert.Equal(t, "api_key", out.Auth)
}

// TestSetenvForFromEnv cannot run in parallel, because it sets the process environment.
func TestSetenvForFromEnv(t *testing.T) {
	app := spacetest.New(t, micros3()...)
	app.Setenv("web")

	c, err := client.FromEnv()
	require.NoError(t, err)
	var out seen
	require.NoError(t, c.GetJSON(context.Background(), "/api/users?id=7", &out))

	assert.Equal(t, "api", out.Micro)
	assert.Equal(t, "/users", out.Path)
	assert.Equal(t, "id=7", out.Query)
	assert.Equal(t, "api_key", out.Auth)
	cfg, err := envconfig.Load()
	require.NoError(t, err)
	assert.Equal(t, app.URL(), cfg.BaseURL.String())
	assert.Equal(t, "web", cfg.MicroName)
	assert.True(t, cfg.ProjectKey.IsZero())
	assert.Equal(t, app.Env("web").SessionKey, cfg.SessionKey)
	assert.Equal(t, middleware.DefaultCookieName, cfg.SessionCookie)
}

func TestEnvSessionKey(t *testing.T) {
	t.Parallel()
	first := spacetest.New(t, micros3()...)
	second := spacetest.New(t, micros3()...)

	web, api := first.Env("web"), first.Env("api")
	require.False(t, web.SessionKey.IsZero())
	assert.GreaterOrEqual(t, len(web.SessionKey.Reveal()), middleware.MinSessionKeyBytes)
	assert.Equal(t, web.SessionKey, api.SessionKey, "one session key per app")
	assert.Equal(t, middleware.DefaultCookieName, web.SessionCookie)
	assert.NotEqual(t, web.SessionKey, second.Env("web").SessionKey)
	assert.NotContains(t, fmt.Sprintf("%v %+v", web, web), web.SessionKey.Reveal())
}

func TestEnvNoAuthHasNoSessionKey(t *testing.T) {
	t.Parallel()
	app := spacetest.NewWithOptions(t, spacetest.Options{NoAuth: true}, micros3()...)
	cfg := app.Env("web")
	assert.True(t, cfg.SessionKey.IsZero())
	assert.Empty(t, cfg.SessionCookie)
}

// TestEnvSessionAdmitsBrowser protects the api Micro with middleware.AuthFromEnv and its
// environment from App.Env: the Micro itself verifies the session of App.Browser. The route
// "/open/*" is public at the router but not in the Micro, so there the Micro alone decides.
func TestEnvSessionAdmitsBrowser(t *testing.T) {
	t.Parallel()
	var protected http.Handler
	var reached atomic.Int32
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		protected.ServeHTTP(w, r)
	})
	app := spacetest.New(t,
		spacetest.Micro{Name: "web", Primary: true, Handler: echo("web")},
		spacetest.Micro{Name: "api", Handler: api, PublicRoutes: []string{"/open/*"}},
	)
	auth, err := middleware.AuthFromEnv(app.Env("api"), middleware.AuthOptions{})
	require.NoError(t, err)
	protected = auth(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		info, _ := middleware.AuthInfoFrom(r.Context())
		fmt.Fprintf(w, "%s %s", info.Method, info.Session.Subject)
	}))

	for _, path := range []string{"/api/notes", "/api/open/x"} {
		resp := get(t, app.Browser(), app, path)
		body := readAll(t, resp)
		assert.Equal(t, http.StatusOK, resp.StatusCode, "browser, %s: %s", path, body)
		assert.Equal(t, "session "+spacetest.OwnerSubject, body, "browser, %s", path)
	}
	require.Equal(t, int32(2), reached.Load())

	for _, path := range []string{"/api/notes", "/api/open/x"} {
		resp := get(t, app.HTTPClient(), app, path)
		body := readAll(t, resp)
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "HTTPClient, %s: %s", path,
			body)
	}
	assert.Equal(t, int32(2), reached.Load(), "the Micro served a request without a session")
}
