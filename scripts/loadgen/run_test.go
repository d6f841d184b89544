package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testKey = "loadgen-test-key"

// countingServer counts the requests that carry testKey, the other requests and the
// connections it accepts, and responds with status.
type countingServer struct {
	*httptest.Server
	withKey, withoutKey, conns atomic.Int64
}

func newCountingServer(t *testing.T, status int) *countingServer {
	s := &countingServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-API-Key") == testKey {
				s.withKey.Add(1)
			} else {
				s.withoutKey.Add(1)
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"ok":true}`))
		}))
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func testConfig(url string) config {
	return config{url: url, requests: 300, concurrency: 4, warmup: 50, apiKey: testKey,
		wantStatus: http.StatusOK, timeout: time.Minute, requestTimeout: 10 * time.Second,
		name: "BenchmarkLoad", format: formatJSON}
}

func runJSON(t *testing.T, cfg config) (report, int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), cfg, &stdout, &stderr)
	var r report
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &r), stdout.String())
	return r, code, stderr.String()
}

func TestRunSendsEveryRequest(t *testing.T) {
	t.Parallel()
	srv := newCountingServer(t, http.StatusOK)
	r, code, stderr := runJSON(t, testConfig(srv.URL+"/items/42"))

	assert.Equal(t, 0, code)
	assert.Empty(t, stderr)
	assert.Equal(t, int64(350), srv.withKey.Load(), "warm-up and measured requests")
	assert.Equal(t, int64(0), srv.withoutKey.Load())
	assert.Equal(t, 300, r.Requests)
	assert.Equal(t, 0, r.Errors)
	assert.Equal(t, 4, r.Concurrency)
	assert.Positive(t, r.P50NS)
	assert.GreaterOrEqual(t, r.P99NS, r.P50NS)
	assert.Positive(t, r.RequestsPerSecond)
	assert.LessOrEqual(t, srv.conns.Load(), int64(4), "connections are reused")
}

func TestRunCountsNewConnections(t *testing.T) {
	t.Parallel()
	srv := newCountingServer(t, http.StatusOK)
	cfg := testConfig(srv.URL)
	cfg.warmup = 0
	r, code, _ := runJSON(t, cfg)

	assert.Equal(t, 0, code)
	assert.Equal(t, srv.conns.Load(), r.NewConnections)
	assert.LessOrEqual(t, r.NewConnections, int64(4))
}

func TestRunWrongStatus(t *testing.T) {
	t.Parallel()
	srv := newCountingServer(t, http.StatusUnauthorized)
	cfg := testConfig(srv.URL)
	cfg.warmup = 0
	r, code, stderr := runJSON(t, cfg)

	assert.Equal(t, 1, code)
	assert.Equal(t, 300, r.Requests)
	assert.Equal(t, 300, r.Errors)
	assert.Equal(t, int64(0), r.P50NS, "no request succeeded")
	assert.Contains(t, stderr, "300 of 300 requests failed")
	assert.Contains(t, stderr, "status 401, expected 200")
	assert.NotContains(t, stderr, testKey)
}

func TestRunWarmUpFailure(t *testing.T) {
	t.Parallel()
	srv := newCountingServer(t, http.StatusNotFound)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), testConfig(srv.URL), &stdout, &stderr)

	assert.Equal(t, 1, code)
	assert.Empty(t, stdout.String(), "no report after a failed warm-up")
	assert.Contains(t, stderr.String(), "warm-up failed: 50 of 50 requests failed")
}

func TestRunStopsAtTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	cfg := testConfig(srv.URL)
	cfg.warmup, cfg.timeout, cfg.requestTimeout = 0, 200*time.Millisecond, 200*time.Millisecond
	r, code, stderr := runJSON(t, cfg)

	assert.Equal(t, 1, code)
	assert.Less(t, r.Requests, 300)
	assert.Contains(t, stderr, "stopped by -timeout 200ms")
}

func TestRunDoesNotFollowRedirects(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://192.0.2.1/elsewhere", http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	cfg := testConfig(srv.URL)
	cfg.warmup, cfg.requests, cfg.wantStatus = 0, 3, http.StatusFound
	r, code, _ := runJSON(t, cfg)

	assert.Equal(t, 0, code)
	assert.Equal(t, 0, r.Errors)
}
