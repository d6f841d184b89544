package client

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
)

func TestKeySentOnEveryAttempt(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, failThen(2, http.StatusServiceUnavailable))
	c := newTestClient(t, srv.URL)

	resp, err := c.Get(t.Context(), "/api/notes")

	require.NoError(t, err)
	assert.Equal(t, "ok", readAndClose(t, resp))
	requests := srv.Requests()
	require.Len(t, requests, 3)
	for i, r := range requests {
		assert.Equal(t, []string{testKey}, r.Header.Values(apiKeyHeader), "attempt %d", i+1)
	}
}

func TestDoLeavesCallerHeaderUnchanged(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusOK, "ok"))
	c := newTestClient(t, srv.URL)
	req, err := c.NewRequest(t.Context(), http.MethodGet, "/x", nil)
	require.NoError(t, err)
	req.Header.Set("X-Trace", "1")

	resp, err := c.Do(req)

	require.NoError(t, err)
	readAndClose(t, resp)
	assert.Equal(t, http.Header{"X-Trace": {"1"}}, req.Header)
	assert.Equal(t, []string{testKey}, srv.Requests()[0].Header.Values(apiKeyHeader))
}

func TestDoReplacesCallerKey(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusOK, "ok"))
	c := newTestClient(t, srv.URL)
	req, err := c.NewRequest(t.Context(), http.MethodGet, "/x", nil)
	require.NoError(t, err)
	req.Header.Set(apiKeyHeader, "some-other-key")

	resp, err := c.Do(req)

	require.NoError(t, err)
	readAndClose(t, resp)
	assert.Equal(t, []string{testKey}, srv.Requests()[0].Header.Values(apiKeyHeader))
}

func TestNewRejectsMissingKey(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, "http://127.0.0.1:1")
	cfg.APIKey = ""

	c, err := New(cfg)

	assert.Nil(t, c)
	require.ErrorIs(t, err, envconfig.ErrMissing)
	require.EqualError(t, err, "client: New: envconfig: APIKey: missing: set it to the "+
		"app's API key")
}

func TestNewRejectsKeyWithLineBreak(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, "http://127.0.0.1:1")
	cfg.APIKey = testKey + "\r\nX-Injected: 1"

	c, err := New(cfg)

	assert.Nil(t, c)
	require.EqualError(t, err, "client: New: APIKey contains a control character, such as "+
		"a line break: set it to the key alone")
}

func TestNewRejectsMissingBaseURL(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, "http://127.0.0.1:1")
	cfg.BaseURL = nil

	c, err := New(cfg)

	assert.Nil(t, c)
	require.ErrorIs(t, err, envconfig.ErrMissing)
	require.EqualError(t, err, "client: New: envconfig: BaseURL: missing: set it, for "+
		"example with ParseHostname")
}

func TestNewCopiesBaseURL(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, "http://127.0.0.1:1")
	c, err := New(cfg)
	require.NoError(t, err)

	cfg.BaseURL.Host = "evil.example"
	c.BaseURL().Host = "evil.example"

	assert.Equal(t, "http://127.0.0.1:1", c.BaseURL().String())
}

func TestClientFormatHidesKey(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "http://127.0.0.1:1")

	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		assert.NotContains(t, fmt.Sprintf(verb, c), testKey, "verb %s", verb)
		assert.NotContains(t, fmt.Sprintf(verb, *c), testKey, "verb %s on the value", verb)
	}
}

func TestResponseRequestHidesKey(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, routes(map[string]http.HandlerFunc{
		"/old": redirectTo("/new"),
		"/new": always(http.StatusOK, "ok"),
	}))
	c := newTestClient(t, srv.URL)
	req, err := c.NewRequest(t.Context(), http.MethodGet, "/new", nil)
	require.NoError(t, err)
	withRedirect, err := c.NewRequest(t.Context(), http.MethodGet, "/old", nil)
	require.NoError(t, err)

	calls := map[string]func() (*http.Response, error){
		"Do":          func() (*http.Response, error) { return c.Do(req) },
		"Get":         func() (*http.Response, error) { return c.Get(t.Context(), "/new") },
		"Do redirect": func() (*http.Response, error) { return c.Do(withRedirect) },
	}
	for name, call := range calls {
		resp, err := call()
		require.NoError(t, err, name)
		readAndClose(t, resp)
		require.NotNil(t, resp.Request, name)
		assert.Equal(t, "/new", resp.Request.URL.Path, name)
		assert.Empty(t, resp.Request.Header.Values(apiKeyHeader), name)
	}
	for _, r := range srv.Requests() {
		assert.Equal(t, []string{testKey}, r.Header.Values(apiKeyHeader), r.RequestURI)
	}
}
