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

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/spacetest"
)

// testTime is the worker's clock in the tests.
var testTime = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// testNotes is what the fake api Micro lists: three notes, one of them shared.
const testNotes = `[{"id":"a","text":"one","shared":true,"share_token":"T"},` +
	`{"id":"b","text":"two","shared":false},{"id":"c","text":"three"}]`

// fakeAPI serves GET /notes as the api Micro does, with the given JSON.
func fakeAPI(notes string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /notes", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, notes)
	})
	return mux
}

// testApp is the worker Micro at /worker, with a fake api Micro at /api.
type testApp struct {
	*spacetest.App
	stats   *StatsStore
	dir     string
	handler http.Handler // the worker Micro's own handler, for requests that skip the router
	logs    *testbuf.Buffer
}

// newTestApp starts the app. The worker's client waits only milliseconds between attempts,
// and opts add to its options.
func newTestApp(t *testing.T, opts ...client.Option) *testApp {
	t.Helper()
	dir := t.TempDir()
	stats, err := OpenStatsStore(dir)
	require.NoError(t, err)

	logs := &testbuf.Buffer{}
	opts = append([]client.Option{client.WithRetryWait(time.Millisecond, 2*time.Millisecond)},
		opts...)
	var handler http.Handler
	app := spacetest.New(t,
		spacetest.Micro{Name: "web", Primary: true, Handler: http.NotFoundHandler()},
		spacetest.Micro{Name: "api", Handler: fakeAPI(testNotes)},
		spacetest.Micro{Name: "worker", Actions: []string{collectStatsID},
			NewHandler: func(app *spacetest.App) (http.Handler, error) {
				wk := &worker{
					api:    app.Client("worker", opts...),
					stats:  stats,
					now:    func() time.Time { return testTime },
					logger: slog.New(slog.NewTextHandler(logs, nil)),
				}
				var err error
				handler, err = newHandler(app.Env("worker"), wk)
				return handler, err
			}},
	)
	return &testApp{App: app, stats: stats, dir: dir, handler: handler, logs: logs}
}

// readBody reads and closes the body of resp.
func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(data)
}

// get sends GET url with c and returns the status and body.
func get(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	require.NoError(t, err)
	return resp.StatusCode, readBody(t, resp)
}

// post sends POST url with a JSON body with c and returns the status and body.
func post(t *testing.T, c *http.Client, url, body string) (int, string) {
	t.Helper()
	resp, err := c.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	return resp.StatusCode, readBody(t, resp)
}
