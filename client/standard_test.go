package client

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStandardClient(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, failThen(1, http.StatusServiceUnavailable))
	c := newTestClient(t, srv.URL)
	hc := c.StandardClient()

	resp, err := hc.Get(srv.URL + "/api/notes")

	require.NoError(t, err)
	assert.Equal(t, "ok", readAndClose(t, resp))
	requests := srv.Requests()
	require.Len(t, requests, 2)
	for _, r := range requests {
		assert.Equal(t, []string{testKey}, r.Header.Values(apiKeyHeader))
	}
}

func TestStandardClientRejectsOtherOrigin(t *testing.T) {
	t.Parallel()
	app := newTestServer(t, always(http.StatusOK, "ok"))
	other := newTestServer(t, always(http.StatusOK, "ok"))
	c := newTestClient(t, app.URL)

	resp, err := c.StandardClient().Get(other.URL + "/x")

	assert.Nil(t, resp)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not on the app's origin")
	assert.Zero(t, other.Count())
}

func TestStandardClientReturnsRedirectFromPolicy(t *testing.T) {
	t.Parallel()
	app := newTestServer(t, redirectTo("/elsewhere"))
	c := newTestClient(t, app.URL, WithHTTPClient(&http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}))

	resp, err := c.StandardClient().Get(app.URL + "/x")

	require.NoError(t, err)
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	readAndClose(t, resp)
	assert.Equal(t, 1, app.Count())
}

func TestStandardClientIsNewEachTime(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "http://127.0.0.1:1")

	assert.NotSame(t, c.StandardClient(), c.StandardClient())
}
