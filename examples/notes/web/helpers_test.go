package main

import (
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/spacekit/spacekit/internal/testbuf"

	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/spacetest"
)

// sharedToken is the only share token for which the fake api Micro returns a note.
const sharedToken = "Q2MZKVFZ6RBY7VJDIMYLFIZ3HE"

// sharedNoteJSON is the note that the fake api Micro returns for sharedToken. Its text is
// HTML that must reach the page escaped.
const sharedNoteJSON = `{"id":"a1","text":"<script>alert(\"hi\")</script> & more",` +
	`"created":"2026-03-14T15:09:26.535Z","shared":true,"share_token":"` + sharedToken + `"}`

// fakeAPI serves GET /shared/{token} as the api Micro does.
func fakeAPI() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /shared/{token}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.PathValue("token") != sharedToken {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":"not_found","message":"share token: not found"}`)
			return
		}
		_, _ = io.WriteString(w, sharedNoteJSON)
	})
	return mux
}

// testApp is the web Micro as the app's primary, with a fake api Micro at /api.
type testApp struct {
	*spacetest.App
	handler http.Handler // the web Micro's own handler, for requests that skip the router
	logs    *testbuf.Buffer
}

// newTestApp starts the app. The web Micro's client waits only milliseconds between attempts,
// and opts add to its options.
func newTestApp(t *testing.T, opts ...client.Option) *testApp {
	t.Helper()
	logs := &testbuf.Buffer{}
	opts = append([]client.Option{client.WithRetryWait(time.Millisecond, 2*time.Millisecond)},
		opts...)
	var handler http.Handler
	app := spacetest.New(t,
		spacetest.Micro{Name: "web", Primary: true, PublicRoutes: []string{"/share/*"},
			NewHandler: func(app *spacetest.App) (http.Handler, error) {
				var err error
				handler, err = newHandler(app.Env("web"), app.Client("web", opts...),
					slog.New(slog.NewTextHandler(logs, nil)))
				return handler, err
			}},
		spacetest.Micro{Name: "api", Handler: fakeAPI()},
	)
	return &testApp{App: app, handler: handler, logs: logs}
}

// response is a response with its body read.
type response struct {
	status int
	header http.Header
	body   string
}

// getPage sends a browser navigation, GET with Accept: text/html, with c.
func getPage(t *testing.T, c *http.Client, url string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: string(data)}
}

// noRedirects makes c return redirects instead of following them.
func noRedirects(c *http.Client) *http.Client {
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}
