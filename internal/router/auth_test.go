package router_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
	"github.com/spacekit/spacekit/middleware"
)

// authEcho responds with the method by which the middleware admitted the request.
func authEcho(w http.ResponseWriter, r *http.Request) {
	info, ok := middleware.AuthInfoFrom(r.Context())
	if !ok {
		_, _ = w.Write([]byte("none"))
		return
	}
	_, _ = w.Write([]byte(info.Method))
}

// authMicros returns a private primary "web", "api" with public routes and app keys, "open"
// with Public set, and "keys" with app keys.
func authMicros() []router.Micro {
	h := http.HandlerFunc(authEcho)
	return []router.Micro{
		{Name: "web", Primary: true, Handler: h},
		{Name: "api", Handler: h, PublicRoutes: []string{"/public/*", "/new*"}},
		{Name: "open", Handler: h, Public: true},
		{Name: "keys", Handler: h, AppKeys: true},
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	sessions := newSessions(t)
	r := newAuthRouter(t, sessions, authMicros()...)
	r.AddAppKey("user-key")
	cookie, err := sessions.NewCookie("owner", false)
	require.NoError(t, err)
	tests := []struct {
		name   string
		target string
		header map[string]string
		cookie bool
		status int
		body   string
	}{
		{"public route", "/api/public/a", nil, false, 200, "public"},
		{"public route deeper", "/api/public/a/b", nil, false, 200, "public"},
		{"public route prefix pattern", "/api/newest", nil, false, 200, "public"},
		{"not public without slash", "/api/public", nil, false, 401, ""},
		{"not public publicity", "/api/publicity", nil, false, 401, ""},
		{"dot dot out of public", "/api/public/..%2fprivate", nil, false, 401, ""},
		{"public micro", "/open/anything", nil, false, 200, "public"},
		{"public wins over a wrong key", "/open/x", map[string]string{"X-API-Key": "wrong"},
			false, 200, "public"},
		{"api key", "/api/private", map[string]string{"X-API-Key": testAPIKey}, false, 200,
			"api_key"},
		{"api key lower-case header", "/", map[string]string{"x-api-key": testAPIKey}, false,
			200, "api_key"},
		{"wrong api key", "/api/private", map[string]string{"X-API-Key": "wrong"}, false,
			401, ""},
		{"app key on app-key micro", "/keys/x", map[string]string{"X-Space-App-Key": "user-key"},
			false, 200, "app_key"},
		{"app key elsewhere", "/api/x", map[string]string{"X-Space-App-Key": "user-key"},
			false, 401, ""},
		{"unknown app key", "/keys/x", map[string]string{"X-Space-App-Key": "other"},
			false, 401, ""},
		{"api key as app key", "/keys/x", map[string]string{"X-Space-App-Key": testAPIKey},
			false, 401, ""},
		{"session", "/api/private", nil, true, 200, "session"},
		{"session on primary", "/", nil, true, 200, "session"},
		{"anonymous", "/", nil, false, 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodGet, tt.target, nil)
			for name, value := range tt.header {
				req.Header.Set(name, value)
			}
			if tt.cookie {
				req.AddCookie(cookie)
			}
			rec := serve(r, req)
			assert.Equal(t, tt.status, rec.Code)
			if tt.status == http.StatusOK {
				assert.Equal(t, tt.body, rec.Body.String())
				return
			}
			assert.Equal(t, "Deta-spacekit", rec.Header().Get("Server"))
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			assert.Contains(t, rec.Body.String(), `"error":"unauthorized"`)
		})
	}
}

func TestAuthenticationRedirectsBrowserToLogin(t *testing.T) {
	t.Parallel()
	r := newAuthRouter(t, newSessions(t), authMicros()...)
	req := httptest.NewRequest(http.MethodGet, "/api/page?x=1", nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")

	rec := serve(r, req)

	assert.Equal(t, http.StatusFound, rec.Code)
	assert.Equal(t, router.LoginPath+"?redirect_uri="+url.QueryEscape("/api/page?x=1"),
		rec.Header().Get("Location"))
}

func TestAppKeyAddedWhileServing(t *testing.T) {
	t.Parallel()
	r := newAuthRouter(t, newSessions(t), authMicros()...)
	req := func() *http.Request {
		req := httptest.NewRequest(http.MethodGet, "/keys/x", nil)
		req.Header.Set("X-Space-App-Key", "key-1")
		return req
	}
	assert.Equal(t, http.StatusUnauthorized, serve(r, req()).Code)

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if i == 0 {
				r.AddAppKey("key-1")
				r.AddAppKey("key-2")
				return
			}
			serve(r, req())
		})
	}
	wg.Wait()

	assert.Equal(t, http.StatusOK, serve(r, req()).Code)
	second := req()
	second.Header.Set("X-Space-App-Key", "key-2")
	assert.Equal(t, http.StatusOK, serve(r, second).Code)
}

func TestAddAppKeyIgnoresEmptyKey(t *testing.T) {
	t.Parallel()
	r := newAuthRouter(t, newSessions(t), authMicros()...)
	r.AddAppKey("")
	req := httptest.NewRequest(http.MethodGet, "/keys/x", nil)
	req.Header.Set("X-Space-App-Key", "")
	assert.Equal(t, http.StatusUnauthorized, serve(r, req).Code)
}

func TestNoAuthAdmitsEveryone(t *testing.T) {
	t.Parallel()
	r, err := router.New(router.Options{Micros: authMicros(), NoAuth: true})
	require.NoError(t, err)
	rec := serve(r, httptest.NewRequest(http.MethodGet, "/api/private", nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "none", rec.Body.String())
}

func TestLoginAndLogoutEndpoints(t *testing.T) {
	t.Parallel()
	sessions := newSessions(t)
	r := newAuthRouter(t, sessions, authMicros()...)
	token, err := sessions.NewLoginToken("owner")
	require.NoError(t, err)

	login := serve(r, httptest.NewRequest(http.MethodGet,
		router.LoginPath+"?token="+token+"&redirect_uri=%2Fapi%2Fpage", nil))

	require.Equal(t, http.StatusFound, login.Code)
	assert.Equal(t, "/api/page", login.Header().Get("Location"))
	cookies := login.Result().Cookies()
	require.Len(t, cookies, 1)
	req := httptest.NewRequest(http.MethodGet, "/api/page", nil)
	req.AddCookie(cookies[0])
	assert.Equal(t, "session", serve(r, req).Body.String())

	logout := serve(r, httptest.NewRequest(http.MethodPost, router.LogoutPath, nil))
	assert.Equal(t, http.StatusFound, logout.Code)
	require.Len(t, logout.Result().Cookies(), 1)
	assert.Equal(t, -1, logout.Result().Cookies()[0].MaxAge)
}

func TestLoginPathWithoutSessionsIsNotFound(t *testing.T) {
	t.Parallel()
	r, err := router.New(router.Options{Micros: authMicros(), NoAuth: true})
	require.NoError(t, err)
	for _, p := range []string{router.LoginPath, router.LogoutPath} {
		assert.Equal(t, http.StatusNotFound, serve(r, httptest.NewRequest(http.MethodGet, p, nil)).Code)
	}
}

func TestLoginPathWithNoAuthAndSessions(t *testing.T) {
	t.Parallel()
	r, err := router.New(router.Options{Micros: authMicros(), NoAuth: true,
		Sessions: newSessions(t), APIKey: envconfig.Secret("ignored")})
	require.NoError(t, err)
	rec := serve(r, httptest.NewRequest(http.MethodGet, router.LoginPath, nil))
	assert.Equal(t, http.StatusBadRequest, rec.Code, "the login handler answers a missing token")
}

func TestAddAppKeyRejectedKeyChangesNothing(t *testing.T) {
	t.Parallel()
	r := newAuthRouter(t, newSessions(t), authMicros()...)
	long := strings.Repeat("k", middleware.MaxKeyBytes+1)
	r.AddAppKey(envconfig.Secret(long))
	r.AddAppKey("good")
	req := httptest.NewRequest(http.MethodGet, "/keys/x", nil)
	req.Header.Set("X-Space-App-Key", "good")
	assert.Equal(t, http.StatusOK, serve(r, req).Code, "a rejected key leaves the next one working")
}
