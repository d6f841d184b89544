package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/spacekit/spacekit/internal/testbuf"

	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacetest"
)

// testTime is the clock of every store in the tests.
var testTime = time.Date(2026, 3, 14, 15, 9, 26, 535_897_932, time.UTC)

func fixedClock() time.Time { return testTime }

// testApp is the api Micro at /api of an app whose primary Micro serves nothing.
type testApp struct {
	*spacetest.App
	store   *Store
	dir     string
	handler http.Handler // the api Micro's own handler, for requests that skip the router
	logs    *testbuf.Buffer
}

func newTestApp(t *testing.T) *testApp {
	t.Helper()
	dir := t.TempDir()
	store, err := OpenStore(dir, fixedClock)
	require.NoError(t, err)

	logs := &testbuf.Buffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	var handler http.Handler
	app := spacetest.New(t,
		spacetest.Micro{Name: "web", Primary: true, Handler: http.NotFoundHandler()},
		spacetest.Micro{Name: "api", Path: "api",
			NewHandler: func(app *spacetest.App) (http.Handler, error) {
				var err error
				handler, err = newHandler(app.Env("api"), &api{store: store, logger: logger})
				return handler, err
			}},
	)
	return &testApp{App: app, store: store, dir: dir, handler: handler, logs: logs}
}

// response is a response with its body read.
type response struct {
	status int
	header http.Header
	body   string
}

// send sends a request with the given content type and body to the app and reads the
// response. An empty contentType sends none.
func send(t *testing.T, c *http.Client, method, url, contentType, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: string(data)}
}

// sendJSON sends body as application/json.
func sendJSON(t *testing.T, c *http.Client, method, url, body string) response {
	t.Helper()
	return send(t, c, method, url, "application/json", body)
}
