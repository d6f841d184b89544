package spacetest_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacetest"
)

// authApp returns an app with a private primary "web", "api" with a public route, and "keys",
// which accepts app keys.
func authApp(t *testing.T) *spacetest.App {
	return spacetest.New(t,
		spacetest.Micro{Name: "web", Primary: true, Handler: echo("web")},
		spacetest.Micro{Name: "api", Handler: echo("api"), PublicRoutes: []string{"/public/*"}},
		spacetest.Micro{Name: "keys", Handler: echo("keys"), AppKeys: true},
	)
}

const unauthorized = `{"error":"unauthorized","message":"authentication required: send an ` +
	`X-API-Key or X-Space-App-Key header, or log in"}` + "\n"

func TestAuthenticationByDefault(t *testing.T) {
	t.Parallel()
	app := authApp(t)
	appKey := app.NewAppKey()
	apiKey := app.Env("web").APIKey.Reveal()
	tests := []struct {
		name    string
		client  *http.Client
		target  string
		header  map[string]string
		status  int
		auth    string
		message string
	}{
		{"public route", app.HTTPClient(), "/api/public/x", nil, 200, "public", ""},
		{"private route", app.HTTPClient(), "/api/private", nil, 401, "", unauthorized},
		{"primary", app.HTTPClient(), "/", nil, 401, "", unauthorized},
		{"api key", app.HTTPClient(), "/api/private", map[string]string{"X-API-Key": apiKey},
			200, "api_key", ""},
		{"wrong api key", app.HTTPClient(), "/", map[string]string{"X-API-Key": "nope"},
			401, "", `{"error":"unauthorized","message":"the X-API-Key header does not ` +
				`contain a valid key"}` + "\n"},
		{"app key", app.HTTPClient(), "/keys/x", map[string]string{"X-Space-App-Key": appKey},
			200, "app_key", ""},
		{"app key on micro without app keys", app.HTTPClient(), "/api/x",
			map[string]string{"X-Space-App-Key": appKey}, 401, "",
			`{"error":"unauthorized","message":"this Micro does not accept X-Space-App-Key: ` +
				`enable presets.api_keys in the Spacefile"}` + "\n"},
		{"browser session", app.Browser(), "/api/private", nil, 200, "session", ""},
		{"browser session on primary", app.Browser(), "/", nil, 200, "session", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest(http.MethodGet, app.URL()+tt.target, nil)
			require.NoError(t, err)
			for name, value := range tt.header {
				req.Header.Set(name, value)
			}
			resp, err := tt.client.Do(req)
			require.NoError(t, err)
			if tt.status != http.StatusOK {
				assert.Equal(t, tt.status, resp.StatusCode)
				assert.Equal(t, "Deta-spacekit", resp.Header.Get("Server"))
				assert.Equal(t, tt.message, readAll(t, resp))
				return
			}
			assert.Equal(t, tt.auth, decode(t, resp).Auth)
		})
	}
}

func TestBrowserNavigationRedirectsToLogin(t *testing.T) {
	t.Parallel()
	app := authApp(t)
	c := app.HTTPClient()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, err := http.NewRequest(http.MethodGet, app.URL()+"/api/page?id=7", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "text/html")

	resp, err := c.Do(req)
	require.NoError(t, err)
	_ = readAll(t, resp)

	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.Equal(t, "/__space/login?redirect_uri="+url.QueryEscape("/api/page?id=7"),
		resp.Header.Get("Location"))
}

func TestLoginURLLogsInAnonymousClient(t *testing.T) {
	t.Parallel()
	app := authApp(t)
	c := app.HTTPClient()

	resp, err := c.Get(app.LoginURL("/api/private?x=1"))
	require.NoError(t, err)

	s := decode(t, resp)
	assert.Equal(t, "session", s.Auth)
	assert.Equal(t, "/private", s.Path)
	assert.Equal(t, "session", decode(t, get(t, c, app, "/")).Auth, "the cookie stays in the jar")
}

func TestClientSendsAppKey(t *testing.T) {
	t.Parallel()
	app := authApp(t)
	var out seen
	err := app.Client("web").GetJSON(context.Background(), "/api/private", &out)
	require.NoError(t, err)
	assert.Equal(t, "api_key", out.Auth)
	assert.Equal(t, "api", out.Micro)
}

func TestNoAuthOption(t *testing.T) {
	t.Parallel()
	app := spacetest.NewWithOptions(t, spacetest.Options{NoAuth: true}, micros3()...)

	s := decode(t, get(t, app.HTTPClient(), app, "/api/private"))

	assert.Equal(t, "api", s.Micro)
	assert.Empty(t, s.Auth, "no authentication middleware ran")
	resp := get(t, app.HTTPClient(), app, "/__space/login")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.True(t, strings.HasPrefix(readAll(t, resp), `{"error":"not_found"`))
	assert.Equal(t, "api", decode(t, get(t, app.Browser(), app, "/api")).Micro)
}
