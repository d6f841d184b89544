package middleware_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/middleware"
)

// echoHandler writes how the request was admitted and the path it saw, as
// "<method> <path> <escaped path> <subject>".
func echoHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, ok := middleware.AuthInfoFrom(r.Context())
		if !ok {
			http.Error(w, "no AuthInfo", http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "%s %s %s %s", info.Method, r.URL.Path, r.URL.EscapedPath(),
			info.Session.Subject)
	})
}

// protect returns echoHandler behind Auth with opts.
func protect(t *testing.T, opts middleware.AuthOptions) http.Handler {
	t.Helper()
	auth, err := middleware.Auth(opts)
	require.NoError(t, err)
	return auth(echoHandler())
}

// serve sends r to h and returns the recorded response.
func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// errorJSON decodes an error body of the package.
func errorJSON(t *testing.T, body []byte) map[string]string {
	t.Helper()
	var got map[string]string
	require.NoError(t, json.Unmarshal(body, &got), "body: %s", body)
	return got
}

// logBuffer is a JSON slog handler's output that tests read line by line.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines returns each logged record as a map.
func (b *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var records []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace([]byte(b.String())), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var record map[string]any
		require.NoError(t, json.Unmarshal(line, &record))
		records = append(records, record)
	}
	return records
}

func newLogger() (*slog.Logger, *logBuffer) {
	buf := &logBuffer{}
	return slog.New(slog.NewJSONHandler(buf, nil)), buf
}

// readBody reads a response body as a string.
func readBody(resp *http.Response) (string, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(resp.Body)
	return buf.String(), err
}
