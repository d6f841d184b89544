package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/middleware"
)

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

func TestRejectBrowserNavigationRedirects(t *testing.T) {
	t.Parallel()
	h := protect(t, middleware.AuthOptions{APIKeys: apiKeys, LoginURL: "/__space/login"})

	tests := []struct {
		name         string
		method       string
		target       string
		prefix       []string
		wantLocation string
	}{
		{"GET", http.MethodGet, "/notes?tab=all", nil,
			"/__space/login?redirect_uri=%2Fnotes%3Ftab%3Dall"},
		{"HEAD", http.MethodHead, "/notes", nil, "/__space/login?redirect_uri=%2Fnotes"},
		{"forwarded prefix", http.MethodGet, "/users?id=7", []string{"/api"},
			"/__space/login?redirect_uri=%2Fapi%2Fusers%3Fid%3D7"},
		{"two-segment prefix", http.MethodGet, "/", []string{"/v1/api"},
			"/__space/login?redirect_uri=%2Fv1%2Fapi%2F"},
		{"prefix with dot segment", http.MethodGet, "/x", []string{"/api/../admin"},
			"/__space/login?redirect_uri=%2Fx"},
		{"protocol-relative prefix", http.MethodGet, "/x", []string{"//evil.example"},
			"/__space/login?redirect_uri=%2Fx"},
		{"prefix with trailing slash", http.MethodGet, "/x", []string{"/api/"},
			"/__space/login?redirect_uri=%2Fx"},
		{"root prefix", http.MethodGet, "/x", []string{"/"}, "/__space/login?redirect_uri=%2Fx"},
		{"prefix with percent", http.MethodGet, "/x", []string{"/a%2F"},
			"/__space/login?redirect_uri=%2Fx"},
		{"relative prefix", http.MethodGet, "/x", []string{"api"},
			"/__space/login?redirect_uri=%2Fx"},
		{"repeated prefix", http.MethodGet, "/x", []string{"/a", "/b"},
			"/__space/login?redirect_uri=%2Fx"},
		{"cleaned path", http.MethodGet, "/a/../notes", nil,
			"/__space/login?redirect_uri=%2Fnotes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(tt.method, tt.target, nil)
			r.Header.Set("Accept", browserAccept)
			if tt.prefix != nil {
				r.Header["X-Forwarded-Prefix"] = tt.prefix
			}
			w := serve(h, r)
			assert.Equal(t, http.StatusFound, w.Code)
			assert.Equal(t, tt.wantLocation, w.Header().Get("Location"))
			assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
			assert.Equal(t, "Deta-spacekit", w.Header().Get("Server"))
			assert.Empty(t, w.Body.String())
		})
	}
}

func TestRejectLoginURLWithQuery(t *testing.T) {
	t.Parallel()
	h := protect(t, middleware.AuthOptions{APIKeys: apiKeys,
		LoginURL: "https://login.example/start?app=notes"})
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.Header.Set("Accept", "text/html")

	w := serve(h, r)
	assert.Equal(t, http.StatusFound, w.Code)
	assert.Equal(t, "https://login.example/start?app=notes&redirect_uri=%2Fx",
		w.Header().Get("Location"))
}

func TestRejectOtherRequestsGet401(t *testing.T) {
	t.Parallel()
	withLogin := protect(t, middleware.AuthOptions{APIKeys: apiKeys, LoginURL: "/__space/login"})
	withoutLogin := protect(t, middleware.AuthOptions{APIKeys: apiKeys})

	tests := []struct {
		name    string
		h       http.Handler
		method  string
		accept  string
		wantMsg string
	}{
		{"API GET", withLogin, http.MethodGet, "application/json", "authentication required: " +
			"send an X-API-Key or X-Space-App-Key header, or log in"},
		{"no Accept", withLogin, http.MethodGet, "", "authentication required: " +
			"send an X-API-Key or X-Space-App-Key header, or log in"},
		{"any type", withLogin, http.MethodGet, "*/*", "authentication required: " +
			"send an X-API-Key or X-Space-App-Key header, or log in"},
		{"HTML refused", withLogin, http.MethodGet, "text/html;q=0, */*", "authentication " +
			"required: send an X-API-Key or X-Space-App-Key header, or log in"},
		{"POST from a form", withLogin, http.MethodPost, browserAccept, "authentication " +
			"required: send an X-API-Key or X-Space-App-Key header, or log in"},
		{"browser without login URL", withoutLogin, http.MethodGet, browserAccept,
			"authentication required: send an X-API-Key or X-Space-App-Key header, or log in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(tt.method, "/notes", nil)
			if tt.accept != "" {
				r.Header.Set("Accept", tt.accept)
			}
			w := serve(tt.h, r)
			assert.Equal(t, http.StatusUnauthorized, w.Code)
			assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
			assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
			assert.Equal(t, "Deta-spacekit", w.Header().Get("Server"))
			assert.Empty(t, w.Header().Get("Location"))
			assert.Equal(t, map[string]string{"error": "unauthorized", "message": tt.wantMsg},
				errorJSON(t, w.Body.Bytes()))
		})
	}
}

func TestRejectAcceptHeaderForms(t *testing.T) {
	t.Parallel()
	h := protect(t, middleware.AuthOptions{APIKeys: apiKeys, LoginURL: "/login"})
	tests := []struct {
		accept string
		want   int
	}{
		{"text/html", http.StatusFound},
		{"TEXT/HTML", http.StatusFound},
		{"application/json, text/html;q=0.5", http.StatusFound},
		{" text/html ; level=1", http.StatusFound},
		{"text/html;q=0.0", http.StatusUnauthorized},
		{"text/htmlx", http.StatusUnauthorized},
		{"application/xhtml+xml", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept", tt.accept)
		assert.Equal(t, tt.want, serve(h, r).Code, tt.accept)
	}
}

func TestRejectHeadHasNoBody(t *testing.T) {
	t.Parallel()
	h := protect(t, middleware.AuthOptions{APIKeys: apiKeys})
	w := serve(h, httptest.NewRequest(http.MethodHead, "/", nil))
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	assert.Empty(t, w.Body.Bytes())
}

func TestRejectMessages(t *testing.T) {
	t.Parallel()
	sessions := newSessions(t, fixedNow)
	h := protect(t, middleware.AuthOptions{APIKeys: apiKeys, Sessions: sessions})
	withAppKeys := protect(t, middleware.AuthOptions{APIKeys: apiKeys, AppKeys: appKeys})

	tests := []struct {
		name   string
		h      http.Handler
		header http.Header
		want   string
	}{
		{"wrong API key", h, http.Header{"X-Api-Key": {"nope"}},
			"the X-API-Key header does not contain a valid key"},
		{"app key not accepted", h, http.Header{"X-Space-App-Key": {"nope"}},
			"this Micro does not accept X-Space-App-Key: enable presets.api_keys in the Spacefile"},
		{"wrong app key", withAppKeys, http.Header{"X-Space-App-Key": {"nope"}},
			"the X-Space-App-Key header does not contain a valid app key"},
		{"bad cookie", h, http.Header{"Cookie": {"spacekit_session=forged"}},
			"the session cookie is invalid: log in again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header = tt.header
			w := serve(tt.h, r)
			require.Equal(t, http.StatusUnauthorized, w.Code)
			assert.Equal(t, tt.want, errorJSON(t, w.Body.Bytes())["message"])
		})
	}
}

func TestRejectExpiredSession(t *testing.T) {
	t.Parallel()
	c := &clock{now: fixedNow()}
	sessions, err := middleware.NewSessions(middleware.SessionOptions{Keys: [][]byte{keyA},
		TTL: time.Hour, Now: c.Now})
	require.NoError(t, err)
	cookie, err := sessions.NewCookie("owner", false)
	require.NoError(t, err)
	h := protect(t, middleware.AuthOptions{Sessions: sessions, LoginURL: "/login"})
	c.Advance(time.Hour)

	api := requestWithCookie(cookie)
	w := serve(h, api)
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Equal(t, "the session has expired: log in again",
		errorJSON(t, w.Body.Bytes())["message"])

	browser := requestWithCookie(cookie)
	browser.Header.Set("Accept", "text/html")
	assert.Equal(t, http.StatusFound, serve(h, browser).Code)
}
