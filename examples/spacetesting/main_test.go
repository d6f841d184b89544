package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spacekit/spacekit/spacetest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// newApp runs the Micro as the app's primary, with "/hello" public as in its Spacefile.
func newApp(t *testing.T) *spacetest.App {
	return spacetest.New(t, spacetest.Micro{
		Name:         "greeter",
		Handler:      newHandler(),
		PublicRoutes: []string{"/hello"},
	})
}

// getJSON sends GET url with c, checks the status and decodes the body into out.
func getJSON(t *testing.T, c *http.Client, url string, wantStatus int, out any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, wantStatus, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
}

func TestHelloIsPublic(t *testing.T) {
	t.Parallel()
	app := newApp(t)

	var got map[string]string
	getJSON(t, app.HTTPClient(), app.URL()+"/hello?name=Ada", http.StatusOK, &got)
	assert.Equal(t, map[string]string{"greeting": "Hello, Ada!"}, got)
}

func TestCountNeedsTheOwner(t *testing.T) {
	t.Parallel()
	app := newApp(t)
	getJSON(t, app.HTTPClient(), app.URL()+"/hello", http.StatusOK, &map[string]string{})

	var rejected map[string]string
	getJSON(t, app.HTTPClient(), app.URL()+"/count", http.StatusUnauthorized, &rejected)
	assert.Equal(t, "unauthorized", rejected["error"])

	var count map[string]int
	getJSON(t, app.Browser(), app.URL()+"/count", http.StatusOK, &count)
	assert.Equal(t, map[string]int{"greetings": 1}, count)
}

func TestSiblingCallSendsTheKey(t *testing.T) {
	t.Parallel()
	app := newApp(t)

	// app.Client is the client that a Micro builds from its environment with
	// client.FromEnv: it sends X-API-Key with the app's key.
	var count map[string]int
	require.NoError(t, app.Client("greeter").GetJSON(t.Context(), "/count", &count))
	assert.Equal(t, map[string]int{"greetings": 0}, count)

	requests := app.Requests("greeter")
	require.Len(t, requests, 1)
	assert.Equal(t, "/count", requests[0].URL.Path)
	assert.Equal(t, "[REDACTED]", requests[0].Header.Get("X-Api-Key"))
}

func TestClientRetriesA503(t *testing.T) {
	t.Parallel()
	app := newApp(t)
	app.FailNext("greeter", 1, http.StatusServiceUnavailable, 0)

	var count map[string]int
	require.NoError(t, app.Client("greeter").GetJSON(t.Context(), "/count", &count))
	assert.Equal(t, map[string]int{"greetings": 0}, count)
	assert.Len(t, app.Requests("greeter"), 2, "the 503, then the retry")
}
