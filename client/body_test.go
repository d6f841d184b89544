package client

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomBytes returns n bytes from a fixed seed, so that every run sends the same payload.
func randomBytes(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestRetrySendsSameBody(t *testing.T) {
	t.Parallel()
	payload := randomBytes(100 << 10)
	tests := []struct {
		name   string
		method string
		body   func() io.Reader
		header http.Header
	}{
		{
			name:   "bytes.Reader",
			method: http.MethodPut,
			body:   func() io.Reader { return bytes.NewReader(payload) },
		},
		{
			name:   "bytes.Buffer",
			method: http.MethodPost,
			body:   func() io.Reader { return bytes.NewBuffer(payload) },
			header: http.Header{"Idempotency-Key": {"upload-1"}},
		},
		{
			name:   "strings.Reader",
			method: http.MethodDelete,
			body:   func() io.Reader { return strings.NewReader(string(payload)) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, failThen(2, http.StatusBadGateway))
			c := newTestClient(t, srv.URL)
			req, err := c.NewRequest(t.Context(), tt.method, "/upload", tt.body())
			require.NoError(t, err)
			for name, values := range tt.header {
				req.Header[name] = values
			}

			resp, err := c.Do(req)

			require.NoError(t, err)
			assert.Equal(t, "ok", readAndClose(t, resp))
			requests := srv.Requests()
			require.Len(t, requests, 3)
			for i, r := range requests {
				assert.Equal(t, int64(len(payload)), r.ContentLength, "attempt %d", i+1)
				assert.True(t, bytes.Equal(payload, r.Body), "attempt %d sent other bytes", i+1)
			}
		})
	}
}

// onceReader is a body that net/http cannot replay, because it has no known type.
type onceReader struct {
	io.Reader
}

func TestUnreplayableBodySentOnce(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusServiceUnavailable, "busy"))
	logger, logs := newTestLogger()
	c := newTestClient(t, srv.URL, WithLogger(logger))
	req, err := c.NewRequest(t.Context(), http.MethodPut, "/upload",
		onceReader{strings.NewReader("payload")})
	require.NoError(t, err)

	resp, err := c.Do(req)

	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, "busy", readAndClose(t, resp))
	require.Len(t, srv.Requests(), 1)
	assert.Equal(t, "payload", string(srv.Requests()[0].Body))
	lines := logs.Lines(t)
	require.Len(t, lines, 1)
	assert.Equal(t, "client: request not retried", lines[0]["msg"])
	assert.Equal(t, "the request body cannot be replayed: give the request a GetBody "+
		"function, for example by passing a bytes.Reader or strings.Reader to NewRequest",
		lines[0]["reason"])
}

func TestUnreplayableBodyErrorGivesReason(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, hangUpThen(1))
	c := newTestClient(t, srv.URL)
	req, err := c.NewRequest(t.Context(), http.MethodPut, "/upload",
		onceReader{strings.NewReader("payload")})
	require.NoError(t, err)

	resp, err := c.Do(req)

	assert.Nil(t, resp)
	assert.Equal(t, 1, requireError(t, err).Attempts)
	assert.True(t, strings.HasSuffix(err.Error(), "(not retried: the request body cannot be "+
		"replayed: give the request a GetBody function, for example by passing a "+
		"bytes.Reader or strings.Reader to NewRequest)"), "error: %v", err)
	assert.Equal(t, 1, srv.Count())
}

func TestRewindErrorEndsCall(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusServiceUnavailable, "busy"))
	c := newTestClient(t, srv.URL)
	req, err := c.NewRequest(t.Context(), http.MethodPut, "/upload", strings.NewReader("x"))
	require.NoError(t, err)
	errRewind := errors.New("source file is gone")
	req.GetBody = func() (io.ReadCloser, error) { return nil, errRewind }

	resp, err := c.Do(req)

	assert.Nil(t, resp)
	require.ErrorIs(t, err, errRewind)
	assert.EqualError(t, err, "client: PUT "+srv.URL+"/upload: 503 Service Unavailable "+
		"after 1 attempt: rewinding the request body for attempt 2: source file is gone")
	assert.Equal(t, 1, srv.Count())
}

func TestEmptyBodyIsRetried(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, failThen(1, http.StatusServiceUnavailable))
	c := newTestClient(t, srv.URL)
	req, err := c.NewRequest(t.Context(), http.MethodPut, "/x", bytes.NewReader(nil))
	require.NoError(t, err)

	resp, err := c.Do(req)

	require.NoError(t, err)
	assert.Equal(t, "ok", readAndClose(t, resp))
	requests := srv.Requests()
	require.Len(t, requests, 2)
	assert.Equal(t, int64(0), requests[1].ContentLength)
}

func TestUnreplayableBodyNotRetriedAfterDialError(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, closedPort(t), WithRetryMax(2))
	body := &closeTracker{Reader: onceReader{strings.NewReader("payload")}}
	req, err := c.NewRequest(t.Context(), http.MethodPut, "/upload", body)
	require.NoError(t, err)

	resp, err := c.Do(req)

	assert.Nil(t, resp)
	assert.Equal(t, 1, requireError(t, err).Attempts,
		"a dial error allows a retry, but not of a body that cannot be replayed")
	assert.True(t, strings.HasSuffix(err.Error(), "(not retried: the request body cannot be "+
		"replayed: give the request a GetBody function, for example by passing a "+
		"bytes.Reader or strings.Reader to NewRequest)"), "error: %v", err)
	assert.True(t, body.closed, "Do must close the body")
}
