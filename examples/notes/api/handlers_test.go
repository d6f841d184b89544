package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/examples/notes/notestest"
	"github.com/spacekit/spacekit/spacetest"
)

func decodeNote(t *testing.T, body string) Note {
	t.Helper()
	var n Note
	require.NoError(t, json.Unmarshal([]byte(body), &n), body)
	return n
}

func TestAPINoteLifecycle(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	browser := app.Browser()
	notes := app.URL() + "/api/notes"

	resp := send(t, browser, http.MethodGet, notes, "", "")
	require.Equal(t, http.StatusOK, resp.status)
	assert.Equal(t, "[]\n", resp.body)

	resp = sendJSON(t, browser, http.MethodPost, notes, `{"text":"Buy milk"}`)
	require.Equal(t, http.StatusCreated, resp.status, resp.body)
	assert.Equal(t, "application/json", resp.header.Get("Content-Type"))
	created := decodeNote(t, resp.body)
	assert.Equal(t, "notes/"+created.ID, resp.header.Get("Location"))
	assert.Equal(t, Note{ID: created.ID, Text: "Buy milk",
		Created: testTime.Truncate(time.Millisecond)}, created)

	resp = send(t, browser, http.MethodGet, notes+"/"+created.ID, "", "")
	require.Equal(t, http.StatusOK, resp.status)
	assert.Equal(t, created, decodeNote(t, resp.body))

	resp = sendJSON(t, browser, http.MethodPatch, notes+"/"+created.ID, `{"shared":true}`)
	require.Equal(t, http.StatusOK, resp.status, resp.body)
	shared := decodeNote(t, resp.body)
	assert.True(t, shared.Shared)
	assert.NotEmpty(t, shared.ShareToken)

	resp = send(t, browser, http.MethodGet, notes, "", "")
	var list []Note
	require.NoError(t, json.Unmarshal([]byte(resp.body), &list))
	assert.Equal(t, []Note{shared}, list)

	resp = send(t, browser, http.MethodDelete, notes+"/"+created.ID, "", "")
	assert.Equal(t, http.StatusNoContent, resp.status)
	assert.Empty(t, resp.body)
	resp = send(t, browser, http.MethodGet, notes+"/"+created.ID, "", "")
	assert.Equal(t, http.StatusNotFound, resp.status)
	assert.Empty(t, app.store.List())
}

func TestAPISharedNoteForSibling(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	n, err := app.store.Add("shared text", true)
	require.NoError(t, err)

	var got Note
	web := app.Client("web")
	require.NoError(t, web.GetJSON(t.Context(), "/api/shared/"+n.ShareToken, &got))
	assert.Equal(t, n, got)

	requests := app.Requests("api")
	require.Len(t, requests, 1)
	assert.Equal(t, "/shared/"+n.ShareToken, requests[0].URL.Path)
	assert.Equal(t, "[REDACTED]", requests[0].Header.Get("X-Api-Key"))

	resp := send(t, app.Browser(), http.MethodGet, app.URL()+"/api/shared/NOSUCHTOKEN", "", "")
	assert.Equal(t, http.StatusNotFound, resp.status)
	assert.JSONEq(t, `{"error":"not_found","message":"share token: not found"}`, resp.body)
}

func TestAPIBadRequests(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	n, err := app.store.Add("existing", false)
	require.NoError(t, err)
	notes := app.URL() + "/api/notes"

	tests := []struct {
		name        string
		method      string
		url         string
		contentType string
		body        string
		status      int
		want        string
	}{
		{"text blank", http.MethodPost, notes, "application/json", `{"text":"  "}`, 400,
			`{"error":"bad_request","message":"invalid text: text is blank: write at least one character"}`},
		{"text missing", http.MethodPost, notes, "application/json", `{}`, 400,
			`{"error":"bad_request","message":"invalid text: text is blank: write at least one character"}`},
		{"not JSON", http.MethodPost, notes, "application/json", `text=hi`, 400,
			`{"error":"bad_request","message":"invalid JSON body: invalid character 'e' in literal true (expecting 'r')"}`},
		{"wrong type", http.MethodPost, notes, "application/json", `{"text":7}`, 400,
			`{"error":"bad_request","message":"invalid JSON body: json: cannot unmarshal number into Go struct field createRequest.text of type string"}`},
		{"unknown field", http.MethodPost, notes, "application/json", `{"txt":"hi"}`, 400,
			`{"error":"bad_request","message":"invalid JSON body: json: unknown field \"txt\""}`},
		{"two objects", http.MethodPost, notes, "application/json", `{"text":"a"}{"text":"b"}`,
			400, `{"error":"bad_request","message":"invalid JSON body: it must contain one object and nothing after it"}`},
		{"empty body", http.MethodPost, notes, "application/json", ``, 400,
			`{"error":"bad_request","message":"the body is empty: send a JSON object"}`},
		{"form body", http.MethodPost, notes, "application/x-www-form-urlencoded", `text=hi`,
			415, `{"error":"unsupported_media_type","message":"the body must be JSON: set Content-Type: application/json"}`},
		{"no content type", http.MethodPost, notes, "", `{"text":"hi"}`, 415,
			`{"error":"unsupported_media_type","message":"the body must be JSON: set Content-Type: application/json"}`},
		{"too large", http.MethodPost, notes, "application/json",
			`{"text":"` + strings.Repeat("x", maxBodyBytes) + `"}`, 413,
			`{"error":"too_large","message":"the body is larger than 65536 bytes"}`},
		{"shared missing", http.MethodPatch, notes + "/" + n.ID, "application/json", `{}`, 400,
			`{"error":"bad_request","message":"the body has no \"shared\" field: set it to true or false"}`},
		{"shared not bool", http.MethodPatch, notes + "/" + n.ID, "application/json",
			`{"shared":"yes"}`, 400, `{"error":"bad_request","message":"invalid JSON body: json: cannot unmarshal string into Go struct field updateRequest.shared of type bool"}`},
		{"get unknown id", http.MethodGet, notes + "/0000000000000000", "", ``, 404,
			`{"error":"not_found","message":"note \"0000000000000000\": not found"}`},
		{"patch unknown id", http.MethodPatch, notes + "/0000000000000000", "application/json",
			`{"shared":true}`, 404,
			`{"error":"not_found","message":"note \"0000000000000000\": not found"}`},
		{"delete unknown id", http.MethodDelete, notes + "/0000000000000000", "", ``, 404,
			`{"error":"not_found","message":"note \"0000000000000000\": not found"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := send(t, app.Browser(), tt.method, tt.url, tt.contentType, tt.body)
			assert.Equal(t, tt.status, resp.status)
			assert.JSONEq(t, tt.want, resp.body)
			assert.Equal(t, "no-store", resp.header.Get("Cache-Control"))
		})
	}
	assert.Equal(t, []Note{n}, app.store.List(), "no bad request changed the notes")
}

func TestAPIMethodNotAllowed(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	resp := sendJSON(t, app.Browser(), http.MethodPut, app.URL()+"/api/notes", `{}`)
	assert.Equal(t, http.StatusMethodNotAllowed, resp.status)
	assert.Equal(t, "GET, HEAD, POST", resp.header.Get("Allow"))
}

func TestAPISaveFailureIs500(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	require.NoError(t, os.MkdirAll(filepath.Join(app.dir, notesFile, "blocker"), 0o700))

	resp := sendJSON(t, app.Browser(), http.MethodPost, app.URL()+"/api/notes",
		`{"text":"lost"}`)
	assert.Equal(t, http.StatusInternalServerError, resp.status)
	assert.JSONEq(t, `{"error":"internal","message":"the note could not be saved: try again later"}`,
		resp.body)
	assert.Contains(t, app.logs.String(), `level=ERROR msg="request failed" method=POST `+
		`path=/notes request_id=`)
	assert.Contains(t, app.logs.String(), "save notes: ")
}

func TestAPIAuthentication(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	key := app.Env("api").APIKey.Reveal()

	resp := send(t, app.HTTPClient(), http.MethodGet, app.URL()+"/api/notes", "", "")
	assert.Equal(t, http.StatusUnauthorized, resp.status, "the router rejects an anonymous call")

	// Requests that reach the Micro's port directly skip the router.
	tests := []struct {
		name   string
		header http.Header
		status int
	}{
		{"no credentials", http.Header{}, http.StatusUnauthorized},
		{"API key", http.Header{"X-Api-Key": {key}}, http.StatusOK},
		{"wrong API key", http.Header{"X-Api-Key": {key + "x"}}, http.StatusUnauthorized},
		{"router's session", http.Header{"Cookie": {notestest.BrowserCookie(t, app.App)}},
			http.StatusOK},
		{"session signed with another key",
			http.Header{"Cookie": {notestest.ForeignCookie(t, app.App, "api")}},
			http.StatusUnauthorized},
		{"forwarded header only", http.Header{"X-Forwarded-Host": {spacetest.Hostname}},
			http.StatusUnauthorized},
		{"cookie only", http.Header{"Cookie": {"spacekit_session=made-up"}},
			http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodGet, "/notes", nil)
			for name, values := range tt.header {
				req.Header[name] = values
			}
			rec := httptest.NewRecorder()
			app.handler.ServeHTTP(rec, req)
			assert.Equal(t, tt.status, rec.Code, rec.Body.String())
		})
	}
}

func TestAPIConcurrentCreates(t *testing.T) {
	t.Parallel()
	app := newTestApp(t)
	const n = 20

	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			body := strings.NewReader(fmt.Sprintf(`{"text":"note %d"}`, i))
			resp, err := app.Browser().Post(app.URL()+"/api/notes", "application/json", body)
			if assert.NoError(t, err) {
				assert.Equal(t, http.StatusCreated, resp.StatusCode)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()

	assert.Len(t, app.store.List(), n)
	reopened, err := OpenStore(app.dir, nil)
	require.NoError(t, err)
	assert.ElementsMatch(t, app.store.List(), reopened.List())
}
