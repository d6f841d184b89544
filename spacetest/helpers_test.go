package spacetest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/middleware"
	"github.com/spacekit/spacekit/spacetest"
)

// seen is what an echo handler received, as it writes it in its JSON response.
type seen struct {
	Micro       string      `json:"micro"`
	Method      string      `json:"method"`
	Path        string      `json:"path"`
	EscapedPath string      `json:"escaped_path"`
	Query       string      `json:"query"`
	Host        string      `json:"host"`
	Header      http.Header `json:"header"`
	Body        string      `json:"body"`
	Auth        string      `json:"auth"`
}

// echo returns a handler that responds with what it received, as a seen.
func echo(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		info, _ := middleware.AuthInfoFrom(r.Context())
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(seen{
			Micro: name, Method: r.Method, Path: r.URL.Path, EscapedPath: r.URL.EscapedPath(),
			Query: r.URL.RawQuery, Host: r.Host, Header: r.Header, Body: string(body),
			Auth: string(info.Method),
		})
	})
}

// decode reads an echo handler's response and closes the body.
func decode(t *testing.T, resp *http.Response) seen {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	var s seen
	require.NoError(t, json.Unmarshal(body, &s))
	return s
}

// get sends a GET for target, relative to the app's URL, with c.
func get(t *testing.T, c *http.Client, app *spacetest.App, target string) *http.Response {
	t.Helper()
	resp, err := c.Get(app.URL() + target)
	require.NoError(t, err)
	return resp
}

// readAll reads and closes a response body.
func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(body)
}

// fakeT is a testing.TB whose Fatalf records the message and ends the goroutine, as the real
// one does, so that a test can check how spacetest fails a test. Everything else goes to the
// real test.
type fakeT struct {
	testing.TB
	mu      sync.Mutex
	fatal   string
	errored []string
}

func (f *fakeT) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.fatal = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fakeT) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errored = append(f.errored, fmt.Sprintf(format, args...))
}

// fatalOf runs fn with a fakeT on a goroutine of its own and returns the Fatalf message, or
// "" when fn returned normally.
func fatalOf(t *testing.T, fn func(tb testing.TB)) string {
	t.Helper()
	f := &fakeT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fatal
}

// micros3 returns a primary "web", "api" at /api and "v1api" at /v1/api, each an echo.
func micros3() []spacetest.Micro {
	return []spacetest.Micro{
		{Name: "web", Primary: true, Handler: echo("web")},
		{Name: "api", Handler: echo("api")},
		{Name: "v1api", Path: "v1/api", Handler: echo("v1api")},
	}
}
