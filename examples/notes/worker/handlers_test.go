package main

import (
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

// collectedStats is the JSON of the statistics after one run over testNotes.
const collectedStats = `{"notes":3,"shared":1,"runs":1,"last_run":"2026-03-14T15:09:26Z"}`

func TestWorkerCollectsStats(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)

	status, body := get(t, app.Browser(), app.URL()+"/worker/stats")
	assert.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `{"notes":0,"shared":0,"runs":0}`, body)

	resp := app.Trigger(collectStatsID)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, collectedStats, readBody(t, resp))

	requests := app.Requests("api")
	require.Len(t, requests, 1)
	assert.Equal(t, http.MethodGet, requests[0].Method)
	assert.Equal(t, "/notes", requests[0].URL.Path)
	assert.Equal(t, "[REDACTED]", requests[0].Header.Get("X-Api-Key"))

	status, body = get(t, app.Browser(), app.URL()+"/worker/stats")
	assert.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, collectedStats, body)

	reopened, err := OpenStatsStore(app.dir)
	require.NoError(t, err)
	assert.Equal(t, app.stats.Get(), reopened.Get())
}

func TestWorkerSurvivesUnavailableAPI(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	app.FailNext("api", 1, http.StatusServiceUnavailable, 0)

	resp := app.Trigger(collectStatsID)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, collectedStats, readBody(t, resp))
	assert.Len(t, app.Requests("api"), 2, "one 503, then the retry")
}

func TestWorkerReportsFailedAPI(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, client.WithRetryMax(2))
	app.FailNext("api", 10, http.StatusServiceUnavailable, 0)

	resp := app.Trigger(collectStatsID)
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	body := readBody(t, resp)
	assert.Contains(t, body, `"error":"bad_gateway"`)
	assert.Contains(t, body, `collect statistics: list notes: `)
	assert.Len(t, app.Requests("api"), 3, "the first attempt and two retries")
	assert.Equal(t, Stats{}, app.stats.Get(), "a failed run counts nothing")

	logs := app.logs.String()
	assert.Contains(t, logs, `level=ERROR msg="action failed" action=collect-stats`)
	assert.NotContains(t, logs, app.Env("worker").APIKey.Reveal())
}

func TestWorkerRejectsBadEvents(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	tests := []struct {
		name string
		body string
		want string
	}{
		{"unknown action", `{"event":{"id":"other","trigger":"schedule"}}`,
			`{"error":"bad_request","message":"unknown action id \"other\": this Micro runs only \"collect-stats\""}`},
		{"no event", `{}`,
			`{"error":"bad_request","message":"unknown action id \"\": this Micro runs only \"collect-stats\""}`},
		{"not JSON", `{`,
			`{"error":"bad_request","message":"invalid action event: unexpected EOF"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The runtime posts action events straight to the Micro, past the router.
			req := httptest.NewRequest(http.MethodPost, actionsPath, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			app.handler.ServeHTTP(rec, req)
			assert.Equal(t, http.StatusBadRequest, rec.Code)
			assert.JSONEq(t, tt.want, rec.Body.String())
		})
	}
	assert.Empty(t, app.Requests("api"))
	assert.Equal(t, Stats{}, app.stats.Get())
}

func TestWorkerActionsPathIsNotPublic(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	status, _ := post(t, app.Browser(), app.URL()+"/worker"+actionsPath,
		`{"event":{"id":"collect-stats","trigger":"schedule"}}`)
	assert.Equal(t, http.StatusNotFound, status, "only the runtime posts action events")
	assert.Empty(t, app.Requests("api"))
}

func TestWorkerAuthentication(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	key := app.Env("worker").APIKey.Reveal()

	status, _ := get(t, app.HTTPClient(), app.URL()+"/worker/stats")
	assert.Equal(t, http.StatusUnauthorized, status, "the router rejects an anonymous call")

	// Requests that reach the Micro's port directly skip the router.
	tests := []struct {
		name   string
		method string
		path   string
		header http.Header
		status int
	}{
		{"stats without credentials", http.MethodGet, "/stats", nil, http.StatusUnauthorized},
		{"stats with API key", http.MethodGet, "/stats", http.Header{"X-Api-Key": {key}},
			http.StatusOK},
		{"stats with the router's session", http.MethodGet, "/stats",
			http.Header{"Cookie": {notestest.BrowserCookie(t, app.App)}}, http.StatusOK},
		{"stats with a session signed with another key", http.MethodGet, "/stats",
			http.Header{"Cookie": {notestest.ForeignCookie(t, app.App, "worker")}}, http.StatusUnauthorized},
		{"stats with a forwarded header only", http.MethodGet, "/stats",
			http.Header{"X-Forwarded-Host": {spacetest.Hostname}}, http.StatusUnauthorized},
		{"action event without credentials", http.MethodPost, actionsPath, nil,
			http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(`{}`))
			for name, values := range tt.header {
				req.Header[name] = values
			}
			rec := httptest.NewRecorder()
			app.handler.ServeHTTP(rec, req)
			assert.Equal(t, tt.status, rec.Code, rec.Body.String())
		})
	}
}
