package notes_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// note is a note as the api Micro sends it.
type note struct {
	ID         string    `json:"id"`
	Text       string    `json:"text"`
	Created    time.Time `json:"created"`
	Shared     bool      `json:"shared"`
	ShareToken string    `json:"share_token"`
}

// stats are the worker Micro's statistics.
type stats struct {
	Notes   int       `json:"notes"`
	Shared  int       `json:"shared"`
	Runs    int       `json:"runs"`
	LastRun time.Time `json:"last_run"`
}

// caller sends requests to the running app, with a session cookie or an X-API-Key header.
type caller struct {
	t      *testing.T
	client *http.Client
	header http.Header
}

// do sends a request with a JSON body, when in is not nil, and returns the response with its
// body read.
func (c caller) do(method, url string, in any) (*http.Response, []byte) {
	c.t.Helper()
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		require.NoError(c.t, err)
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, url, body)
	require.NoError(c.t, err)
	for name, values := range c.header {
		req.Header[name] = values
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.client.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp, data
}

// doJSON sends a request and decodes the JSON response into out after checking its status.
func (c caller) doJSON(method, url string, in any, wantStatus int, out any) {
	c.t.Helper()
	resp, data := c.do(method, url, in)
	require.Equal(c.t, wantStatus, resp.StatusCode, "%s %s: %s", method, url, data)
	require.Equal(c.t, "application/json", resp.Header.Get("Content-Type"))
	require.NoError(c.t, json.Unmarshal(data, out))
}

func TestNotesEndToEnd(t *testing.T) {
	dir, env := copyApp(t)
	addr := freeAddr(t)
	app := startApp(t, dir, env, addr)
	anonymous := caller{t: t, client: newClient(t, false),
		header: http.Header{"Accept": {"application/json"}}}
	browser := caller{t: t, client: newClient(t, true),
		header: http.Header{"Accept": {"application/json"}}}

	t.Run("anonymous page redirects to login", func(t *testing.T) {
		page := caller{t: t, client: anonymous.client,
			header: http.Header{"Accept": {"text/html,application/xhtml+xml"}}}
		resp, _ := page.do(http.MethodGet, app.URL+"/", nil)
		assert.Equal(t, http.StatusFound, resp.StatusCode)
		assert.Equal(t, "/__space/login?redirect_uri=%2F", resp.Header.Get("Location"))
	})

	t.Run("anonymous JSON gets 401", func(t *testing.T) {
		resp, data := anonymous.do(http.MethodGet, app.URL+"/api/notes", nil)
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		assert.Equal(t, "Deta-spacekit", resp.Header.Get("Server"))
		assert.JSONEq(t, `{"error":"unauthorized","message":"authentication required: `+
			`send an X-API-Key or X-Space-App-Key header, or log in"}`, string(data))
	})

	var first note
	t.Run("session creates and lists notes", func(t *testing.T) {
		resp, data := browser.do(http.MethodGet, app.LoginURL, nil)
		require.Equal(t, http.StatusFound, resp.StatusCode, "%s", data)
		require.Equal(t, "/", resp.Header.Get("Location"))
		resp, data = browser.do(http.MethodGet, app.URL+"/", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, string(data), "<h1>Notes</h1>")

		text := `Buy <milk> & "eggs"`
		before := time.Now()
		browser.doJSON(http.MethodPost, app.URL+"/api/notes", map[string]any{"text": text},
			http.StatusCreated, &first)
		assert.Regexp(t, `^[0-9a-f]{16}$`, first.ID)
		assert.Equal(t, text, first.Text)
		assert.False(t, first.Shared)
		assert.Empty(t, first.ShareToken)
		assert.WithinRange(t, first.Created, before.Add(-time.Second), time.Now())

		var list []note
		browser.doJSON(http.MethodGet, app.URL+"/api/notes", nil, http.StatusOK, &list)
		assert.Equal(t, []note{first}, list)
	})

	apiEnv := microEnv(t, env, dir, "api")
	key := apiEnv["DETA_API_KEY"]
	require.NotEmpty(t, key)

	var second note
	t.Run("API key creates and lists notes", func(t *testing.T) {
		withKey := caller{t: t, client: newClient(t, false),
			header: http.Header{"Accept": {"application/json"}, "X-Api-Key": {key}}}
		withKey.doJSON(http.MethodPost, app.URL+"/api/notes", map[string]any{"text": "second"},
			http.StatusCreated, &second)
		assert.Equal(t, "second", second.Text)

		var list []note
		withKey.doJSON(http.MethodGet, app.URL+"/api/notes", nil, http.StatusOK, &list)
		assert.Equal(t, []note{first, second}, list)

		wrongKey := caller{t: t, client: withKey.client,
			header: http.Header{"Accept": {"application/json"}, "X-Api-Key": {key + "x"}}}
		resp, _ := wrongKey.do(http.MethodGet, app.URL+"/api/notes", nil)
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	})

	t.Run("api Micro port needs the key", func(t *testing.T) {
		direct := "http://127.0.0.1:" + apiEnv["PORT"] + "/notes"
		resp, _ := anonymous.do(http.MethodGet, direct, nil)
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

		withKey := caller{t: t, client: anonymous.client, header: http.Header{"X-Api-Key": {key}}}
		var list []note
		withKey.doJSON(http.MethodGet, direct, nil, http.StatusOK, &list)
		assert.Len(t, list, 2)
	})

	t.Run("api Micro port verifies the session", func(t *testing.T) {
		// Cookies ignore the port, so the browser sends the router's session cookie to the
		// Micro's port too, and the Micro verifies it with SPACEKIT_SESSION_KEY.
		appURL, err := url.Parse(app.URL)
		require.NoError(t, err)
		cookies := browser.client.Jar.Cookies(appURL)
		require.Len(t, cookies, 1, "the browser has the router's session cookie")
		assert.Equal(t, cookies[0].Name, apiEnv["SPACEKIT_SESSION_COOKIE"])
		assert.GreaterOrEqual(t, len(apiEnv["SPACEKIT_SESSION_KEY"]), 32)

		direct := "http://127.0.0.1:" + apiEnv["PORT"] + "/notes"
		var list []note
		browser.doJSON(http.MethodGet, direct, nil, http.StatusOK, &list)
		assert.Len(t, list, 2)

		forged := caller{t: t, client: anonymous.client, header: http.Header{
			"Accept": {"application/json"},
			"Cookie": {cookies[0].Name + "=" + cookies[0].Value + "x"}}}
		resp, _ := forged.do(http.MethodGet, direct, nil)
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "a changed cookie is rejected")
	})

	t.Run("shared note opens anonymously", func(t *testing.T) {
		var shared note
		browser.doJSON(http.MethodPatch, app.URL+"/api/notes/"+first.ID,
			map[string]any{"shared": true}, http.StatusOK, &shared)
		require.True(t, shared.Shared)
		require.NotEmpty(t, shared.ShareToken)
		first = shared

		page := caller{t: t, client: anonymous.client, header: http.Header{"Accept": {"text/html"}}}
		resp, data := page.do(http.MethodGet, app.URL+"/share/"+first.ShareToken, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", data)
		assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
		assert.Contains(t, string(data), `Buy &lt;milk&gt; &amp; &#34;eggs&#34;`)
		assert.NotContains(t, string(data), "<milk>")
		assert.NotContains(t, string(data), key)

		resp, _ = page.do(http.MethodGet, app.URL+"/share/NOSUCHTOKEN", nil)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	})

	var collected stats
	t.Run("trigger updates statistics", func(t *testing.T) {
		var before stats
		browser.doJSON(http.MethodGet, app.URL+"/worker/stats", nil, http.StatusOK, &before)

		out := spacedev(t, env, "trigger", dir, "collect-stats")
		assert.True(t, strings.HasPrefix(out, "action collect-stats: 200 OK\n"), out)

		browser.doJSON(http.MethodGet, app.URL+"/worker/stats", nil, http.StatusOK, &collected)
		assert.Equal(t, 2, collected.Notes)
		assert.Equal(t, 1, collected.Shared)
		// The schedule may also have run the action in between, once a minute.
		assert.Greater(t, collected.Runs, before.Runs)
		assert.True(t, collected.LastRun.After(before.LastRun))
	})

	// A failed check here would leave the steps below without an app, so it ends the test.
	app.interrupt(t)
	app = startApp(t, dir, env, addr)

	t.Run("restart keeps every note", func(t *testing.T) {
		var list []note
		browser.doJSON(http.MethodGet, app.URL+"/api/notes", nil, http.StatusOK, &list)
		assert.Equal(t, []note{first, second}, list)

		var after stats
		browser.doJSON(http.MethodGet, app.URL+"/worker/stats", nil, http.StatusOK, &after)
		assert.GreaterOrEqual(t, after.Runs, collected.Runs)
		assert.False(t, after.LastRun.Before(collected.LastRun))
	})

	t.Run("interrupt stops every process", func(t *testing.T) {
		app.interrupt(t)
	})
}
