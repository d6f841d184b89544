package main

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/examples/notes/notestest"
	"github.com/spacekit/spacekit/spacetest"
)

func TestWebSharePageEscapesText(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)

	resp := getPage(t, app.HTTPClient(), app.URL()+"/share/"+sharedToken)
	require.Equal(t, http.StatusOK, resp.status, resp.body)
	assert.Equal(t, "text/html; charset=utf-8", resp.header.Get("Content-Type"))
	assert.Contains(t, resp.body, `<p id="shared-text" class="shared-note">`+
		`&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt; &amp; more</p>`)
	assert.NotContains(t, resp.body, "<script>")
	assert.Contains(t, resp.body, `<time datetime="2026-03-14T15:09:26Z">`+
		`14 March 2026, 15:09 UTC</time>`)
	assert.NotContains(t, resp.body, app.Env("web").APIKey.Reveal())

	requests := app.Requests("api")
	require.Len(t, requests, 1)
	assert.Equal(t, "/shared/"+sharedToken, requests[0].URL.Path)
	assert.Equal(t, "[REDACTED]", requests[0].Header.Get("X-Api-Key"))
	assert.Empty(t, requests[0].Header.Get("Cookie"), "the visitor's request has no session")
}

func TestWebSharePageNotFound(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	tests := []struct {
		name     string
		path     string
		apiCalls int // requests that reached the api Micro so far
	}{
		{"unknown token", "/share/NOSUCHTOKEN", 1},
		{"token with other characters", "/share/abc-def", 1},
		{"token too long", "/share/" + strings.Repeat("A", 65), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := getPage(t, app.HTTPClient(), app.URL()+tt.path)
			assert.Equal(t, http.StatusNotFound, resp.status)
			assert.Contains(t, resp.body, "<title>Note not found</title>")
			assert.Contains(t, resp.body,
				"This note does not exist, or its owner stopped sharing it.")
			assert.Len(t, app.Requests("api"), tt.apiCalls)
		})
	}
}

func TestWebSharePageAPIFailure(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, client.WithRetryMax(1))
	app.FailNext("api", 2, http.StatusServiceUnavailable, 0)

	resp := getPage(t, app.HTTPClient(), app.URL()+"/share/"+sharedToken)
	assert.Equal(t, http.StatusBadGateway, resp.status)
	assert.Contains(t, resp.body, "The note could not be loaded. Try again in a minute.")
	assert.Len(t, app.Requests("api"), 2, "the first attempt and one retry")

	logs := app.logs.String()
	assert.Contains(t, logs, `level=ERROR msg="load shared note"`)
	assert.Contains(t, logs, "/api/shared/[REDACTED]")
	assert.NotContains(t, logs, sharedToken, "the share token is a credential")
}

func TestWebSharePageSurvivesOne503(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.FailNext("api", 1, http.StatusServiceUnavailable, 0)

	resp := getPage(t, app.HTTPClient(), app.URL()+"/share/"+sharedToken)
	assert.Equal(t, http.StatusOK, resp.status)
	assert.Len(t, app.Requests("api"), 2)
}

func TestWebIndexNeedsSession(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)

	resp := getPage(t, noRedirects(app.HTTPClient()), app.URL()+"/")
	assert.Equal(t, http.StatusFound, resp.status)
	assert.Equal(t, "/__space/login?redirect_uri=%2F", resp.header.Get("Location"))

	resp = getPage(t, app.Browser(), app.URL()+"/")
	require.Equal(t, http.StatusOK, resp.status)
	assert.Contains(t, resp.body, "<title>Notes</title>")
	assert.Contains(t, resp.body, `<script src="/app.js" defer></script>`)
	assert.Contains(t, resp.body, `<textarea id="note-text"`)

	resp = getPage(t, app.Browser(), app.URL()+"/app.js")
	require.Equal(t, http.StatusOK, resp.status)
	assert.Equal(t, "text/javascript; charset=utf-8", resp.header.Get("Content-Type"))
	assert.Contains(t, resp.body, `request("GET", "/api/notes")`)
	assert.Contains(t, resp.body, `request("GET", "/worker/stats")`)

	resp = getPage(t, app.Browser(), app.URL()+"/missing")
	assert.Equal(t, http.StatusNotFound, resp.status)
}

func TestWebSecurityHeaders(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	style, err := assets.ReadFile("assets/style.css")
	require.NoError(t, err)
	sum := sha256.Sum256(style)

	for _, path := range []string{"/", "/app.js", "/share/" + sharedToken, "/share/NOSUCHTOKEN"} {
		resp := getPage(t, app.Browser(), app.URL()+path)
		csp := resp.header.Get("Content-Security-Policy")
		assert.Contains(t, csp, "default-src 'none'; script-src 'self'; connect-src 'self'", path)
		assert.Contains(t, csp, "style-src 'sha256-"+
			base64.StdEncoding.EncodeToString(sum[:])+"'", path)
		assert.Equal(t, "nosniff", resp.header.Get("X-Content-Type-Options"), path)
		assert.Equal(t, "no-referrer", resp.header.Get("Referrer-Policy"), path)
	}
}

func TestWebAuthentication(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	key := app.Env("web").APIKey.Reveal()

	// Requests that reach the Micro's port directly skip the router.
	tests := []struct {
		name   string
		path   string
		header http.Header
		status int
	}{
		{"page without credentials", "/", nil, http.StatusUnauthorized},
		{"page with API key", "/", http.Header{"X-Api-Key": {key}}, http.StatusOK},
		{"page with the router's session", "/",
			http.Header{"Cookie": {notestest.BrowserCookie(t, app.App)}}, http.StatusOK},
		{"page with a session signed with another key", "/",
			http.Header{"Cookie": {notestest.ForeignCookie(t, app.App, "web")}}, http.StatusUnauthorized},
		{"page with a forwarded header only", "/",
			http.Header{"X-Forwarded-Host": {spacetest.Hostname}}, http.StatusUnauthorized},
		{"share page without credentials", "/share/NOSUCHTOKEN", nil, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodGet, tt.path, nil)
			for name, values := range tt.header {
				req.Header[name] = values
			}
			rec := httptest.NewRecorder()
			app.handler.ServeHTTP(rec, req)
			assert.Equal(t, tt.status, rec.Code, rec.Body.String())
		})
	}
}
