package middleware_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/middleware"
)

var (
	apiKeys = []envconfig.Secret{"api-key-old", "api-key-current", "api-key-next"}
	appKeys = []envconfig.Secret{"app-key-one"}
)

func TestAuthKeys(t *testing.T) {
	t.Parallel()
	h := protect(t, middleware.AuthOptions{APIKeys: apiKeys, AppKeys: appKeys})

	tests := []struct {
		name       string
		header     http.Header
		wantStatus int
		wantBody   string
	}{
		{"first API key", http.Header{"X-Api-Key": {"api-key-old"}}, 200, "api_key / / "},
		{"second API key", http.Header{"X-Api-Key": {"api-key-current"}}, 200, "api_key / / "},
		{"third API key", http.Header{"X-Api-Key": {"api-key-next"}}, 200, "api_key / / "},
		{"app key", http.Header{"X-Space-App-Key": {"app-key-one"}}, 200, "app_key / / "},
		{"wrong API key", http.Header{"X-Api-Key": {"api-key"}}, 401, ""},
		{"empty API key", http.Header{"X-Api-Key": {""}}, 401, ""},
		{"API key in other case", http.Header{"X-Api-Key": {"API-KEY-OLD"}}, 401, ""},
		{"repeated API key", http.Header{"X-Api-Key": {"api-key-old", "api-key-old"}}, 401, ""},
		{"oversized API key", http.Header{"X-Api-Key": {strings.Repeat("k", 4097)}}, 401, ""},
		{"app key as API key", http.Header{"X-Api-Key": {"app-key-one"}}, 401, ""},
		{"API key as app key", http.Header{"X-Space-App-Key": {"api-key-old"}}, 401, ""},
		{"no key", http.Header{}, 401, ""},
		{"wrong API key, valid app key", http.Header{"X-Api-Key": {"x"},
			"X-Space-App-Key": {"app-key-one"}}, 200, "app_key / / "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header = tt.header
			w := serve(h, r)
			assert.Equal(t, tt.wantStatus, w.Code)
			if tt.wantStatus == http.StatusOK {
				assert.Equal(t, tt.wantBody, w.Body.String())
			}
		})
	}
}

func TestAuthKeyHeaderNamesCaseInsensitive(t *testing.T) {
	t.Parallel()
	server := httptest.NewServer(protect(t, middleware.AuthOptions{APIKeys: apiKeys,
		AppKeys: appKeys}))
	defer server.Close()

	for _, name := range []string{"x-api-key", "X-API-KEY", "x-space-app-key"} {
		req, err := http.NewRequest(http.MethodGet, server.URL+"/items", nil)
		require.NoError(t, err)
		// Setting the map entry directly sends the name exactly as written.
		key := "api-key-current"
		if strings.Contains(name, "app") {
			key = "app-key-one"
		}
		req.Header[name] = []string{key}
		resp, err := server.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, name)
	}
}

func TestAuthPublicRoutes(t *testing.T) {
	t.Parallel()
	h := protect(t, middleware.AuthOptions{
		APIKeys:      apiKeys,
		PublicRoutes: []string{"/public/*", "/new*", "/api/*/docs", "/health"},
	})

	tests := []struct {
		target   string
		wantBody string // empty: rejected with 401
	}{
		{"/public/", "public /public/ /public/ "},
		{"/public/a", "public /public/a /public/a "},
		{"/public/a/b?x=1", "public /public/a/b /public/a/b "},
		{"/public", ""},
		{"/publicity", ""},
		{"/public-admin/x", ""},
		{"/Public/a", ""},
		{"/new", "public /new /new "},
		{"/newsletter", "public /newsletter /newsletter "},
		{"/api/v1/docs", "public /api/v1/docs /api/v1/docs "},
		{"/api/docs", ""},
		{"/health", "public /health /health "},
		{"/health/", ""},
		{"/private", ""},
		{"/private/../public/a", "public /public/a /public/a "},
		{"//public/a", "public /public/a /public/a "},
		{"/public/./a", "public /public/a /public/a "},
		{"/public/../private", ""},
		{"/public/..%2fprivate", ""},
		{"/public/..%2Fprivate", ""},
		{"/public/%2e%2e/private", ""},
		{"/public%2Fa", ""},
		{"/public/a%2Fb", ""},
		{"/public/a%2fb", ""},
		{"/public/%2e%2e%2fprivate", ""},
		{"/public/a%20b", "public /public/a b /public/a%20b "},
		// Decoded once, "%252e%252e" is the literal segment "%2e%2e", not a dot segment.
		{"/public/%252e%252e/x", "public /public/%2e%2e/x /public/%252e%252e/x "},
		{"/x/..%2F../public/a", "public /public/a /public/a "},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			t.Parallel()
			w := serve(h, httptest.NewRequest(http.MethodGet, tt.target, nil))
			if tt.wantBody == "" {
				assert.Equal(t, http.StatusUnauthorized, w.Code)
				return
			}
			assert.Equal(t, http.StatusOK, w.Code)
			assert.Equal(t, tt.wantBody, w.Body.String())
		})
	}
}

func TestAuthCleanedPathReachesHandler(t *testing.T) {
	t.Parallel()
	h := protect(t, middleware.AuthOptions{APIKeys: apiKeys, PublicRoutes: []string{"/public/*"}})

	tests := []struct {
		target   string
		wantBody string
	}{
		{"/public/..%2fprivate", "api_key /private /private "},
		{"/public/%2e%2e/private", "api_key /private /private "},
		{"/a/../files/x%2Fy", "api_key /files/x/y /files/x%2Fy "},
		{"/public/a%2Fb", "api_key /public/a/b /public/a%2Fb "},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodGet, tt.target, nil)
			r.Header.Set("X-API-Key", "api-key-current")
			w := serve(h, r)
			assert.Equal(t, http.StatusOK, w.Code)
			assert.Equal(t, tt.wantBody, w.Body.String())
		})
	}
}

func TestAuthPublicRouteWinsOverWrongKey(t *testing.T) {
	t.Parallel()
	h := protect(t, middleware.AuthOptions{APIKeys: apiKeys, PublicRoutes: []string{"/public/*"}})
	r := httptest.NewRequest(http.MethodGet, "/public/x", nil)
	r.Header.Set("X-API-Key", "wrong")
	r.Header.Set("X-Space-App-Key", "wrong")

	w := serve(h, r)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "public /public/x /public/x ", w.Body.String())
}

func TestAuthEveryRoutePublic(t *testing.T) {
	t.Parallel()
	h := protect(t, middleware.AuthOptions{PublicRoutes: []string{"/*"}})
	w := serve(h, httptest.NewRequest(http.MethodPost, "/anything/at/all", nil))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "public /anything/at/all /anything/at/all ", w.Body.String())
}

func TestAuthOptionsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts middleware.AuthOptions
		want string
	}{
		{"no options", middleware.AuthOptions{},
			`middleware: Auth: nothing can authenticate a request: set APIKeys, AppKeys or ` +
				`Sessions, or make every route public with PublicRoutes: []string{"/*"}`},
		{"nothing authenticates", middleware.AuthOptions{PublicRoutes: []string{"/public/*"}},
			`middleware: Auth: nothing can authenticate a request: set APIKeys, AppKeys or ` +
				`Sessions, or make every route public with PublicRoutes: []string{"/*"}`},
		{"typed nil sessions", middleware.AuthOptions{Sessions: (*middleware.Sessions)(nil)},
			`middleware: Auth: nothing can authenticate a request: set APIKeys, AppKeys or ` +
				`Sessions, or make every route public with PublicRoutes: []string{"/*"}`},
		{"nil verifier function", middleware.AuthOptions{Sessions: verifierFunc(nil)},
			`middleware: Auth: nothing can authenticate a request: set APIKeys, AppKeys or ` +
				`Sessions, or make every route public with PublicRoutes: []string{"/*"}`},
		{"empty API key", middleware.AuthOptions{APIKeys: []envconfig.Secret{""}},
			`middleware: Auth: APIKeys[0] is empty: remove it or set the key`},
		{"empty app key", middleware.AuthOptions{APIKeys: apiKeys,
			AppKeys: []envconfig.Secret{"a", ""}},
			`middleware: Auth: AppKeys[1] is empty: remove it or set the key`},
		{"relative pattern", middleware.AuthOptions{APIKeys: apiKeys,
			PublicRoutes: []string{"public"}},
			`middleware: Auth: PublicRoutes[0] "public" must start with "/": ` +
				`patterns are relative to the Micro's root`},
		{"relative login URL", middleware.AuthOptions{APIKeys: apiKeys, LoginURL: "login"},
			`middleware: Auth: LoginURL "login" must be an absolute path such as ` +
				`"/__space/login" or an http or https URL`},
		{"protocol-relative login URL", middleware.AuthOptions{APIKeys: apiKeys,
			LoginURL: "//evil.example/login"},
			`middleware: Auth: LoginURL "//evil.example/login" must be an absolute path such as ` +
				`"/__space/login" or an http or https URL`},
		{"login URL with invalid escape", middleware.AuthOptions{APIKeys: apiKeys,
			LoginURL: "/login%zz"},
			`middleware: Auth: LoginURL is not a valid URL (parse "/login%zz": invalid URL ` +
				`escape "%zz"): use an absolute path such as "/__space/login" or an http or ` +
				`https URL`},
		{"login URL with user", middleware.AuthOptions{APIKeys: apiKeys,
			LoginURL: "https://user:secret@example.com/login"},
			`middleware: Auth: LoginURL contains user information: remove it`},
		{"login URL with fragment", middleware.AuthOptions{APIKeys: apiKeys,
			LoginURL: "/login#top"},
			`middleware: Auth: LoginURL "/login#top" has a fragment: remove it`},
		{"login URL with redirect_uri", middleware.AuthOptions{APIKeys: apiKeys,
			LoginURL: "/login?redirect_uri=/x"},
			`middleware: Auth: LoginURL "/login?redirect_uri=/x" already has a redirect_uri ` +
				`parameter: remove it, because Auth adds the URI of each rejected request`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			auth, err := middleware.Auth(tt.opts)
			require.Error(t, err)
			assert.Nil(t, auth)
			assert.Equal(t, tt.want, err.Error())
			assert.ErrorIs(t, err, middleware.ErrInvalidOption)
		})
	}
}

func TestAuthFromEnv(t *testing.T) {
	t.Parallel()
	cfg := envconfig.Config{APIKey: "env-key"}
	extra := make([]envconfig.Secret, 1, 4)
	extra[0] = "extra-key"
	auth, err := middleware.AuthFromEnv(cfg, middleware.AuthOptions{APIKeys: extra})
	require.NoError(t, err)
	h := auth(echoHandler())

	for _, key := range []string{"env-key", "extra-key"} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("X-API-Key", key)
		assert.Equal(t, http.StatusOK, serve(h, r).Code, key)
	}
	assert.Equal(t, []envconfig.Secret{"extra-key"}, extra)
	assert.Equal(t, envconfig.Secret(""), extra[:2][1], "AuthFromEnv wrote into the caller's array")
}

func TestAuthFromEnvWithoutKey(t *testing.T) {
	t.Parallel()
	_, err := middleware.AuthFromEnv(envconfig.Config{}, middleware.AuthOptions{})
	require.Error(t, err)
	assert.Equal(t, "middleware: AuthFromEnv: cfg.APIKey is empty: set DETA_API_KEY, "+
		"or read cfg with envconfig.Load", err.Error())
	assert.ErrorIs(t, err, middleware.ErrInvalidOption)
}

func TestAuthInfoFromWithoutAuth(t *testing.T) {
	t.Parallel()
	info, ok := middleware.AuthInfoFrom(context.Background())
	assert.False(t, ok)
	assert.Equal(t, middleware.AuthInfo{}, info)

	var nilContext context.Context
	info, ok = middleware.AuthInfoFrom(nilContext)
	assert.False(t, ok)
	assert.Equal(t, middleware.AuthInfo{}, info)
}

func TestAuthContextHoldsNoSecret(t *testing.T) {
	t.Parallel()
	sessions := newSessions(t, fixedNow)
	cookie, err := sessions.NewCookie("owner", false)
	require.NoError(t, err)

	var contexts []string
	auth, err := middleware.Auth(middleware.AuthOptions{APIKeys: apiKeys, Sessions: sessions})
	require.NoError(t, err)
	h := auth(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, _ := middleware.AuthInfoFrom(r.Context())
		contexts = append(contexts, fmt.Sprintf("%v %+v %#v", r.Context(), info, info))
	}))

	withKey := httptest.NewRequest(http.MethodGet, "/", nil)
	withKey.Header.Set("X-API-Key", "api-key-current")
	serve(h, withKey)
	withCookie := httptest.NewRequest(http.MethodGet, "/", nil)
	withCookie.AddCookie(cookie)
	serve(h, withCookie)

	require.Len(t, contexts, 2)
	assert.NotContains(t, contexts[0], "api-key-current")
	assert.NotContains(t, contexts[1], cookie.Value)
	assert.Contains(t, contexts[1], "owner")
}

func TestAuthSessions(t *testing.T) {
	t.Parallel()
	sessions := newSessions(t, fixedNow)
	h := protect(t, middleware.AuthOptions{APIKeys: apiKeys, Sessions: sessions})
	cookie, err := sessions.NewCookie("owner", false)
	require.NoError(t, err)

	r := httptest.NewRequest(http.MethodGet, "/notes", nil)
	r.AddCookie(cookie)
	w := serve(h, r)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "session /notes /notes owner", w.Body.String())

	tampered := *cookie
	tampered.Value = strings.Replace(cookie.Value, ".", "0.", 1)
	r = httptest.NewRequest(http.MethodGet, "/notes", nil)
	r.AddCookie(&tampered)
	w = serve(h, r)
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Equal(t, "the session cookie is invalid: log in again",
		errorJSON(t, w.Body.Bytes())["message"])
}

func TestAuthSessionInfo(t *testing.T) {
	t.Parallel()
	sessions := newSessions(t, fixedNow)
	cookie, err := sessions.NewCookie("owner", true)
	require.NoError(t, err)

	var got middleware.AuthInfo
	auth, err := middleware.Auth(middleware.AuthOptions{Sessions: sessions})
	require.NoError(t, err)
	h := auth(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = middleware.AuthInfoFrom(r.Context())
	}))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(cookie)
	serve(h, r)

	assert.Equal(t, middleware.MethodSession, got.Method)
	assert.Equal(t, "owner", got.Session.Subject)
	assert.Equal(t, fixedNow().Add(24*time.Hour), got.Session.Expires.UTC())
}

// verifierFunc is a SessionVerifier from a function, as another session source would be.
type verifierFunc func(r *http.Request) (middleware.Session, error)

func (f verifierFunc) VerifySession(r *http.Request) (middleware.Session, error) { return f(r) }

func TestAuthCustomSessionVerifier(t *testing.T) {
	t.Parallel()
	verifier := verifierFunc(func(r *http.Request) (middleware.Session, error) {
		switch r.Header.Get("X-Test-Session") {
		case "ok":
			return middleware.Session{Subject: "alice"}, nil
		case "expired":
			return middleware.Session{}, fmt.Errorf("store: %w", middleware.ErrSessionExpired)
		case "broken":
			return middleware.Session{}, errors.New("store: unavailable")
		}
		return middleware.Session{}, middleware.ErrNoSession
	})
	h := protect(t, middleware.AuthOptions{Sessions: verifier})

	tests := []struct {
		session     string
		wantStatus  int
		wantMessage string
	}{
		{"ok", http.StatusOK, ""},
		{"expired", http.StatusUnauthorized, "the session has expired: log in again"},
		{"broken", http.StatusUnauthorized, "the session cookie is invalid: log in again"},
		{"", http.StatusUnauthorized, "authentication required: send an X-API-Key or " +
			"X-Space-App-Key header, or log in"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("X-Test-Session", tt.session)
		w := serve(h, r)
		assert.Equal(t, tt.wantStatus, w.Code, tt.session)
		if tt.wantMessage != "" {
			assert.Equal(t, tt.wantMessage, errorJSON(t, w.Body.Bytes())["message"], tt.session)
		} else {
			assert.Equal(t, "session / / alice", w.Body.String())
		}
	}
}

func TestAuthNilHandlerProtectsDefaultServeMux(t *testing.T) {
	t.Parallel()
	auth, err := middleware.Auth(middleware.AuthOptions{APIKeys: apiKeys})
	require.NoError(t, err)
	h := auth(nil)
	// Without credentials the request never reaches http.DefaultServeMux.
	assert.Equal(t, http.StatusUnauthorized, serve(h, httptest.NewRequest("GET", "/", nil)).Code)
}

func TestAuthAcceptPathAllocations(t *testing.T) {
	auth, err := middleware.Auth(middleware.AuthOptions{APIKeys: apiKeys,
		PublicRoutes: []string{"/public/*"}})
	require.NoError(t, err)
	h := auth(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	withKey := httptest.NewRequest(http.MethodGet, "/items/7", nil)
	withKey.Header.Set("X-API-Key", "api-key-next")
	public := httptest.NewRequest(http.MethodGet, "/public/app.js", nil)
	w := httptest.NewRecorder()

	// The two allocations are the request copy and the context value that carry the AuthInfo:
	// r.WithContext and context.WithValue. The key check and route matching add none.
	assert.Equal(t, 2.0, testing.AllocsPerRun(100, func() { h.ServeHTTP(w, withKey) }))
	assert.Equal(t, 2.0, testing.AllocsPerRun(100, func() { h.ServeHTTP(w, public) }))
}

func TestPublicRoutesMatchesLikeAuth(t *testing.T) {
	t.Parallel()
	patterns := []string{"/public/*", "/health"}
	routes, err := middleware.NewPublicRoutes(patterns)
	require.NoError(t, err)
	h := protect(t, middleware.AuthOptions{APIKeys: apiKeys, PublicRoutes: patterns})

	for _, target := range []string{"/public/a", "/public", "/health", "/x/../public/a",
		"/public/..%2fprivate", "/public%2Fa", "/private", "//public/a"} {
		r := httptest.NewRequest(http.MethodGet, target, nil)
		admitted := serve(h, r).Code == http.StatusOK
		assert.Equal(t, admitted, routes.Match(r), target)
		assert.Equal(t, target, r.URL.RequestURI(), "Match modified the request")
	}

	var nilRoutes *middleware.PublicRoutes
	assert.False(t, nilRoutes.Match(httptest.NewRequest(http.MethodGet, "/public/a", nil)))
	assert.False(t, routes.Match(nil))
}

func TestNewPublicRoutesError(t *testing.T) {
	t.Parallel()
	_, err := middleware.NewPublicRoutes([]string{"/ok", "bad"})
	require.Error(t, err)
	assert.Equal(t, `middleware: NewPublicRoutes: PublicRoutes[1] "bad" must start with "/": `+
		`patterns are relative to the Micro's root`, err.Error())
	assert.ErrorIs(t, err, middleware.ErrInvalidOption)
}

func TestAuthNilVerifierWithKeys(t *testing.T) {
	t.Parallel()
	// A nil verifier next to a key is ignored instead of being called.
	h := protect(t, middleware.AuthOptions{APIKeys: apiKeys, Sessions: verifierFunc(nil)})
	w := serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Equal(t, "authentication required: send an X-API-Key or X-Space-App-Key header, "+
		"or log in", errorJSON(t, w.Body.Bytes())["message"])
}
