package spacetest_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacetest"
)

func TestServeRunsTheSameRouter(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, micros3()...)
	inProcess := app.Browser()
	before := app.URL()

	url := app.Serve()

	assert.Equal(t, url, app.Serve(), "Serve starts one server")
	assert.Equal(t, url, app.URL())
	assert.True(t, strings.HasPrefix(url, "http://127.0.0.1:"), url)
	assert.Equal(t, strings.TrimPrefix(url, "http://"), app.Env("web").Hostname)
	onSocket := app.Browser()
	for _, tt := range routingTable {
		s := decode(t, get(t, onSocket, app, tt.target))
		assert.Equal(t, tt.micro, s.Micro, tt.target)
		assert.Equal(t, tt.escapedPath, s.EscapedPath, tt.target)
		assert.Equal(t, tt.query, s.Query, tt.target)
		assert.Equal(t, strings.TrimPrefix(url, "http://"), s.Host, tt.target)
		assert.Equal(t, "session", s.Auth, tt.target)
	}
	resp, err := inProcess.Get(before + "/api")
	require.NoError(t, err)
	assert.Equal(t, "session", decode(t, resp).Auth, "clients made before keep working")
	assert.Len(t, app.Requests("api"), 5, "both transports record the same way")
}

func TestServeAuthAndFaults(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, micros3()...)
	app.Serve()

	resp := get(t, app.HTTPClient(), app, "/api")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, unauthorized, readAll(t, resp))

	var out seen
	require.NoError(t, app.Client("web").GetJSON(context.Background(), "/api/x", &out))
	assert.Equal(t, "api_key", out.Auth)

	// A POST, because net/http's transport retries an idempotent request once when a reused
	// connection closes.
	app.DropNext("api", 1)
	_, err := app.Browser().Post(app.URL()+"/api", "text/plain", strings.NewReader("x"))
	assert.ErrorIs(t, err, io.EOF)

	app.FailNext("api", 1, http.StatusServiceUnavailable, 0)
	resp = get(t, app.Browser(), app, "/api")
	_ = readAll(t, resp)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
}
