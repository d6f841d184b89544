package client

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetryByStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status       int
		wantAttempts int
	}{
		{http.StatusTooManyRequests, 3},
		{http.StatusInternalServerError, 3},
		{http.StatusBadGateway, 3},
		{http.StatusServiceUnavailable, 3},
		{http.StatusGatewayTimeout, 3},
		{599, 3},
		{http.StatusNotImplemented, 1},
		{http.StatusBadRequest, 1},
		{http.StatusUnauthorized, 1},
		{http.StatusNotFound, 1},
		{http.StatusConflict, 1},
		{http.StatusOK, 1},
		{http.StatusNoContent, 1},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, always(tt.status, "final"))
			c := newTestClient(t, srv.URL, WithRetryMax(2))

			resp, err := c.Get(t.Context(), "/x")

			require.NoError(t, err)
			assert.Equal(t, tt.status, resp.StatusCode)
			readAndClose(t, resp)
			assert.Equal(t, tt.wantAttempts, srv.Count())
		})
	}
}

func TestRetryByMethod(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method         string
		idempotencyKey string
		wantAttempts   int
	}{
		{http.MethodGet, "", 3},
		{http.MethodHead, "", 3},
		{http.MethodOptions, "", 3},
		{http.MethodPut, "", 3},
		{http.MethodDelete, "", 3},
		{http.MethodPost, "", 1},
		{http.MethodPatch, "", 1},
		{"PURGE", "", 1},
		{http.MethodPost, "order-42", 3},
		{http.MethodPatch, "order-42", 3},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.idempotencyKey, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, always(http.StatusServiceUnavailable, "busy"))
			c := newTestClient(t, srv.URL, WithRetryMax(2))
			req, err := c.NewRequest(t.Context(), tt.method, "/x", strings.NewReader("{}"))
			require.NoError(t, err)
			if tt.idempotencyKey != "" {
				req.Header.Set("Idempotency-Key", tt.idempotencyKey)
			}

			resp, err := c.Do(req)

			require.NoError(t, err)
			assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
			readAndClose(t, resp)
			assert.Equal(t, tt.wantAttempts, srv.Count())
		})
	}
}

func TestRetryMaxZeroSendsOnce(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusServiceUnavailable, "busy"))
	c := newTestClient(t, srv.URL, WithRetryMax(0))

	resp, err := c.Get(t.Context(), "/x")

	require.NoError(t, err)
	readAndClose(t, resp)
	assert.Equal(t, 1, srv.Count())
}

func TestRetryTransportError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method       string
		wantAttempts int
		wantErr      string
	}{
		{method: http.MethodGet, wantAttempts: 3},
		{
			method:       http.MethodPost,
			wantAttempts: 1,
			wantErr: "(not retried: POST is not idempotent: set an Idempotency-Key header " +
				"to allow retries)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, hangUpThen(2))
			c := newTestClient(t, srv.URL, WithRetryMax(2))
			req, err := c.NewRequest(t.Context(), tt.method, "/x", strings.NewReader("{}"))
			require.NoError(t, err)

			resp, err := c.Do(req)

			assert.Equal(t, tt.wantAttempts, srv.Count())
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, "ok", readAndClose(t, resp))
				return
			}
			assert.Nil(t, resp)
			e := requireError(t, err)
			assert.Equal(t, 1, e.Attempts)
			assert.Zero(t, e.StatusCode)
			assert.True(t, strings.HasSuffix(err.Error(), tt.wantErr), "error: %v", err)
		})
	}
}

func TestRetryDialErrorForAnyMethod(t *testing.T) {
	t.Parallel()
	for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPatch} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			base := closedPort(t)
			c := newTestClient(t, base, WithRetryMax(2))
			req, err := c.NewRequest(t.Context(), method, "/x?token=secret-value",
				strings.NewReader("{}"))
			require.NoError(t, err)

			resp, err := c.Do(req)

			assert.Nil(t, resp)
			e := requireError(t, err)
			assert.Equal(t, 3, e.Attempts)
			var opErr *net.OpError
			require.ErrorAs(t, err, &opErr)
			assert.Equal(t, "dial", opErr.Op)
			assert.True(t, strings.HasPrefix(err.Error(), "client: "+method+" "+base+
				"/x?token=REDACTED: after 3 attempts: "), "error: %v", err)
			assert.NotContains(t, err.Error(), "secret-value")
		})
	}
}

func TestRetrySkipsCertificateError(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(always(http.StatusOK, "ok"))
	var handshakes atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			handshakes.Add(1)
		}
	}
	srv.Config.ErrorLog = discardLogger()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL, WithRetryMax(2))

	resp, err := c.Get(t.Context(), "/x")

	assert.Nil(t, resp)
	assert.Equal(t, 1, requireError(t, err).Attempts)
	srv.Close()
	assert.Equal(t, int64(1), handshakes.Load())
}

func TestRetryExhaustedReturnsReadableBody(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusServiceUnavailable, "still busy"))
	c := newTestClient(t, srv.URL, WithRetryMax(2))

	resp, err := c.Get(t.Context(), "/x")

	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, "still busy", readAndClose(t, resp))
	assert.Equal(t, 3, srv.Count())
}

func TestRetryNotPermittedIsLogged(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusServiceUnavailable, "busy"))
	logger, logs := newTestLogger()
	c := newTestClient(t, srv.URL, WithLogger(logger))
	req, err := c.NewRequest(t.Context(), http.MethodPost, "/orders?id=7", strings.NewReader("{}"))
	require.NoError(t, err)

	resp, err := c.Do(req)

	require.NoError(t, err)
	readAndClose(t, resp)
	assert.Equal(t, []map[string]any{{
		"level":   "WARN",
		"msg":     "client: request not retried",
		"method":  "POST",
		"path":    "/orders?id=REDACTED",
		"attempt": float64(1),
		"status":  float64(503),
		"reason":  "POST is not idempotent: set an Idempotency-Key header to allow retries",
	}}, logs.Lines(t))
}

func TestCheckRetryStopsWhenContextEnds(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	resp := &http.Response{StatusCode: http.StatusServiceUnavailable}

	retry, err := checkRetry(ctx, resp, nil)

	assert.False(t, retry)
	require.ErrorIs(t, err, context.Canceled)
}
