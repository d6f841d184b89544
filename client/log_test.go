package client

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/internal/requestid"
)

func TestLogOneLinePerRetry(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, failThen(2, http.StatusServiceUnavailable))
	logger, logs := newTestLogger()
	c := newTestClient(t, srv.URL, WithLogger(logger),
		WithRetryWait(time.Millisecond, 4*time.Millisecond))
	c.jitter = maxJitter
	ctx := requestid.NewContext(t.Context(), "req-7")

	resp, err := c.Get(ctx, "/api/items?token=secret-value&page=2")

	require.NoError(t, err)
	readAndClose(t, resp)
	line := func(attempt int, wait time.Duration) map[string]any {
		return map[string]any{
			"level":      "WARN",
			"msg":        "client: retrying request",
			"method":     "GET",
			"path":       "/api/items?token=REDACTED&page=REDACTED",
			"attempt":    float64(attempt),
			"wait":       float64(wait),
			"status":     float64(503),
			"request_id": "req-7",
		}
	}
	assert.Equal(t, []map[string]any{
		line(1, 2*time.Millisecond),
		line(2, 4*time.Millisecond),
	}, logs.Lines(t))
	assert.NotContains(t, logs.String(), testKey)
	assert.NotContains(t, logs.String(), "secret-value")
}

func TestLogRetryAfterTransportError(t *testing.T) {
	t.Parallel()
	base := closedPort(t)
	logger, logs := newTestLogger()
	c := newTestClient(t, base, WithLogger(logger), WithRetryMax(1),
		WithRetryWait(time.Millisecond, time.Millisecond))

	_, err := c.Get(t.Context(), "/x?token=secret-value")

	require.Error(t, err)
	lines := logs.Lines(t)
	require.Len(t, lines, 1)
	assert.Equal(t, "/x?token=REDACTED", lines[0]["path"])
	assert.NotContains(t, lines[0], "status")
	logged, ok := lines[0]["error"].(string)
	require.True(t, ok, "the line must have an error")
	assert.True(t, strings.HasPrefix(logged, `Get "`+base+`/x?token=REDACTED": dial tcp `),
		"error: %s", logged)
	assert.NotContains(t, logs.String(), "secret-value")
	assert.NotContains(t, logs.String(), testKey)
}

// TestLogSilentByDefault replaces the default slog logger, so it cannot run in parallel.
func TestLogSilentByDefault(t *testing.T) {
	var defaultLogs bytes.Buffer
	previous := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&defaultLogs, nil)))
	t.Cleanup(func() { slog.SetDefault(previous) })
	srv := newTestServer(t, failThen(1, http.StatusServiceUnavailable))
	c := newTestClient(t, srv.URL)

	resp, err := c.Get(t.Context(), "/x")

	require.NoError(t, err)
	readAndClose(t, resp)
	assert.Equal(t, 2, srv.Count())
	assert.Empty(t, defaultLogs.String())
}

func TestErrorHidesKeyAndQueryValues(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, "bad key "+r.Header.Get(apiKeyHeader)+" for "+r.RequestURI)
	})
	c := newTestClient(t, srv.URL, WithRetryMax(1))

	err := c.GetJSON(t.Context(), "/api/items?token=secret-value", new(any))

	e := requireError(t, err)
	assert.Equal(t, &Error{
		Method:     "GET",
		URL:        srv.URL + "/api/items?token=REDACTED",
		StatusCode: http.StatusInternalServerError,
		Attempts:   2,
		Body:       "bad key [REDACTED] for /api/items?token=secret-value",
	}, e)
	assert.NotContains(t, err.Error(), testKey)
	assert.Equal(t, "client: GET "+srv.URL+"/api/items?token=REDACTED: 500 Internal Server "+
		"Error after 2 attempts: response body: bad key [REDACTED] for "+
		"/api/items?token=secret-value", err.Error())
}

func TestErrorMessage(t *testing.T) {
	t.Parallel()
	errCause := io.ErrUnexpectedEOF
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{
			name: "status",
			err: &Error{Method: "GET", URL: "https://app.example/x", StatusCode: 404,
				Attempts: 1},
			want: "client: GET https://app.example/x: 404 Not Found after 1 attempt",
		},
		{
			name: "status with body",
			err: &Error{Method: "POST", URL: "https://app.example/x", StatusCode: 400,
				Attempts: 1, Body: "{\"error\":\n\t\"bad\"}\x1b[31m"},
			want: `client: POST https://app.example/x: 400 Bad Request after 1 attempt: ` +
				`response body: {"error": "bad"}?[31m`,
		},
		{
			name: "unknown status",
			err:  &Error{Method: "GET", URL: "https://app.example/x", StatusCode: 599, Attempts: 4},
			want: "client: GET https://app.example/x: 599 after 4 attempts",
		},
		{
			name: "cause",
			err: &Error{Method: "GET", URL: "https://app.example/x", Attempts: 3,
				Err: errCause},
			want: "client: GET https://app.example/x: after 3 attempts: unexpected EOF",
		},
		{
			name: "not sent",
			err:  &Error{Method: "GET", URL: "https://app.example/x", Err: errCause},
			want: "client: GET https://app.example/x: not sent: unexpected EOF",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.err.Error())
			assert.Equal(t, tt.err.Err, tt.err.Unwrap())
		})
	}
}

func TestRedactedPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url  string
		want string
	}{
		{"https://app.example", "/"},
		{"https://app.example/a%2Fb", "/a%2Fb"},
		{"https://app.example/find?q=x&debug", "/find?q=REDACTED&debug"},
		{"https://app.example/find?q=&r=a=b", "/find?q=REDACTED&r=REDACTED"},
		{"https://app.example/find?", "/find"},
		{"https://user:pass@app.example/x#frag", "/x"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, redactedPath(mustURL(t, tt.url)), "url %s", tt.url)
	}
	withUser := mustURL(t, "https://user:pass@app.example/x")
	assert.Equal(t, "https://app.example/x", redactedURL(withUser))
}

func TestExcerpt(t *testing.T) {
	t.Parallel()
	padding := strings.Repeat("a", excerptLimit-3)
	long := padding + testKey + strings.Repeat("b", 100)
	tests := []struct {
		name string
		body string
		want string
	}{
		{"short", "not found", "not found"},
		{"key", "key=" + testKey, "key=[REDACTED]"},
		{"key across the limit", long, (padding + "[REDACTED]")[:excerptLimit]},
		{"long", strings.Repeat("x", 2000), strings.Repeat("x", excerptLimit)},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		got := excerpt(strings.NewReader(tt.body), testKey)
		assert.Equal(t, tt.want, got, tt.name)
		assert.NotContains(t, got, testKey[:8], tt.name)
	}
}

func TestErrorFormsHideKeyAndQueryValues(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, routes(map[string]http.HandlerFunc{
		"/echo": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, "key "+r.Header.Get(apiKeyHeader))
		},
		"/hang-up": hangUpThen(1 << 30),
		"/loop":    redirectTo("/loop?token=secret-value"),
	}))
	logger, logs := newTestLogger()
	c := newTestClient(t, srv.URL, WithRetryMax(1), WithLogger(logger))

	calls := map[string]func() error{
		"status": func() error {
			return c.GetJSON(t.Context(), "/echo?token=secret-value", new(any))
		},
		"transport error": func() error {
			_, err := c.Get(t.Context(), "/hang-up?token=secret-value")
			return err
		},
		"redirect loop": func() error {
			_, err := c.Get(t.Context(), "/loop?token=secret-value")
			return err
		},
	}
	for name, call := range calls {
		err := call()
		e := requireError(t, err)
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			for _, value := range []any{err, e, *e} {
				shown := fmt.Sprintf(verb, value)
				assert.NotContains(t, shown, testKey, "%s: %s of %T", name, verb, value)
				assert.NotContains(t, shown, "secret-value", "%s: %s of %T", name, verb, value)
			}
		}
		for cause := error(e); cause != nil; cause = errors.Unwrap(cause) {
			assert.NotContains(t, cause.Error(), testKey, "%s: cause %T", name, cause)
			assert.NotContains(t, cause.Error(), "secret-value", "%s: cause %T", name, cause)
		}
		logger.Error("call failed", "call", name, "error", err)
	}

	assert.Len(t, logs.Lines(t), 1+len(calls), "one retry line for the transport error, "+
		"and one line for each error")
	assert.NotContains(t, logs.String(), testKey)
	assert.NotContains(t, logs.String(), "secret-value")
}
