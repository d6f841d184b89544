package client

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
)

func TestOptionErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    []Option
		wantErr string
	}{
		{"negative retries", []Option{WithRetryMax(-1)},
			"client: WithRetryMax(-1): n must be 0 or more"},
		{"zero min wait", []Option{WithRetryWait(0, time.Second)},
			"client: WithRetryWait(0s, 1s): min must be above zero and max at least min"},
		{"max below min", []Option{WithRetryWait(time.Second, time.Millisecond)},
			"client: WithRetryWait(1s, 1ms): min must be above zero and max at least min"},
		{"zero attempt timeout", []Option{WithAttemptTimeout(0)},
			"client: WithAttemptTimeout(0s): d must be above zero"},
		{"negative attempt timeout", []Option{WithAttemptTimeout(-time.Second)},
			"client: WithAttemptTimeout(-1s): d must be above zero"},
		{"nil HTTP client", []Option{WithHTTPClient(nil)},
			"client: WithHTTPClient(nil): pass an *http.Client, or leave the option out " +
				"for the default"},
		{"nil option", []Option{WithRetryMax(1), nil}, "client: option 1 is nil: remove it"},
		{"every error", []Option{WithRetryMax(-2), WithAttemptTimeout(0)},
			"client: WithRetryMax(-2): n must be 0 or more\n" +
				"client: WithAttemptTimeout(0s): d must be above zero"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(testConfig(t, "http://127.0.0.1:1"), tt.opts...)
			assert.Nil(t, c)
			require.EqualError(t, err, tt.wantErr)
		})
	}
}

func TestOptionsSetFields(t *testing.T) {
	t.Parallel()
	c, err := New(testConfig(t, "http://127.0.0.1:1"), WithRetryMax(0),
		WithRetryWait(time.Second, time.Second), WithAttemptTimeout(time.Minute))
	require.NoError(t, err)

	assert.Equal(t, 0, c.retryMax)
	assert.Equal(t, time.Second, c.waitMin)
	assert.Equal(t, time.Second, c.waitMax)
	assert.Equal(t, time.Minute, c.attemptTimeout)
	assert.Nil(t, c.limiter)
	assert.Nil(t, c.logger)
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	c, err := New(testConfig(t, "http://127.0.0.1:1"))
	require.NoError(t, err)

	assert.Equal(t, DefaultRetryMax, c.retryMax)
	assert.Equal(t, DefaultRetryWaitMin, c.waitMin)
	assert.Equal(t, DefaultRetryWaitMax, c.waitMax)
	assert.Zero(t, c.attemptTimeout)
	transport, ok := c.hc.Transport.(*http.Transport)
	require.True(t, ok)
	assert.Equal(t, 100, transport.MaxIdleConnsPerHost)
}

// countingTransport counts the requests that pass through it to next.
type countingTransport struct {
	next  http.RoundTripper
	count atomic.Int64
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.count.Add(1)
	return t.next.RoundTrip(req)
}

func TestWithHTTPClientTransportSeesEveryAttempt(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, failThen(2, http.StatusServiceUnavailable))
	transport := &countingTransport{next: srv.Client().Transport}
	c := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: transport}))

	resp, err := c.Get(t.Context(), "/x")

	require.NoError(t, err)
	readAndClose(t, resp)
	assert.Equal(t, int64(3), transport.count.Load())
	assert.Equal(t, 3, srv.Count())
}

// inProcessTransport serves requests with a handler in the same process, without sockets.
type inProcessTransport struct {
	handler http.Handler
}

func (t inProcessTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	recorder := httptest.NewRecorder()
	t.handler.ServeHTTP(recorder, req)
	if req.Body != nil {
		_ = req.Body.Close()
	}
	resp := recorder.Result()
	resp.Request = req
	return resp, nil
}

func TestWithHTTPClientInProcess(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		if r.Header.Get(apiKeyHeader) != testKey || r.Host != "notes.example.test" {
			http.Error(w, "wrong key or host", http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, `{"id":1,"title":"`+r.URL.Path+`"}`)
	})
	hc := &http.Client{Transport: inProcessTransport{handler: handler}}
	c, err := New(testConfig(t, "https://notes.example.test"), WithHTTPClient(hc),
		WithRetryWait(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	var n note

	err = c.GetJSON(t.Context(), "/api/notes/1", &n)

	require.NoError(t, err)
	assert.Equal(t, note{ID: 1, Title: "/api/notes/1"}, n)
	assert.Equal(t, int64(2), calls.Load())
}

// TestFromEnv sets environment variables, so it cannot run in parallel.
func TestFromEnv(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"id":3,"title":"`+r.Header.Get(apiKeyHeader)+`"}`)
	})
	t.Setenv(envconfig.EnvHostname, srv.Listener.Addr().String())
	t.Setenv(envconfig.EnvAPIKey, testKey)
	t.Setenv(envconfig.EnvBaseURL, "")
	c, err := FromEnv(WithRetryMax(0))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	var n note

	err = c.GetJSON(t.Context(), "/api/notes/3", &n)

	require.NoError(t, err)
	assert.Equal(t, note{ID: 3, Title: testKey}, n)
	assert.Equal(t, srv.URL, c.BaseURL().String())
}

// TestFromEnvMissing sets environment variables, so it cannot run in parallel.
func TestFromEnvMissing(t *testing.T) {
	t.Setenv(envconfig.EnvHostname, "notes-1-a1b2.deta.app")
	t.Setenv(envconfig.EnvAPIKey, "")

	c, err := FromEnv()

	assert.Nil(t, c)
	require.ErrorIs(t, err, envconfig.ErrMissing)
	assert.EqualError(t, err, "client: FromEnv: envconfig: DETA_API_KEY: missing: set it "+
		"to the app's API key")
}

// TestFromEnvInvalidOption sets environment variables, so it cannot run in parallel.
func TestFromEnvInvalidOption(t *testing.T) {
	t.Setenv(envconfig.EnvHostname, "notes-1-a1b2.deta.app")
	t.Setenv(envconfig.EnvAPIKey, testKey)

	c, err := FromEnv(WithRetryMax(-1))

	assert.Nil(t, c)
	assert.EqualError(t, err, "client: WithRetryMax(-1): n must be 0 or more")
}
