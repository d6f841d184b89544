package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/internal/router"
)

// newEchoMicro starts a loopback server that reports the request it received, and returns its
// port.
func newEchoMicro(t *testing.T) int {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{
			"host":    r.Host,
			"escaped": r.URL.EscapedPath(),
			"query":   r.URL.RawQuery,
			"for":     r.Header.Get("X-Forwarded-For"),
			"fhost":   r.Header.Get("X-Forwarded-Host"),
			"proto":   r.Header.Get("X-Forwarded-Proto"),
			"prefix":  r.Header.Get("X-Forwarded-Prefix"),
			"custom":  r.Header.Get("X-Custom"),
		})
	}))
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	port, err := strconv.Atoi(u.Port())
	require.NoError(t, err)
	return port
}

// newProxyRouter returns a router without authentication whose "api" Micro is a proxy to port.
func newProxyRouter(t *testing.T, port int, logger *slog.Logger) *router.Router {
	t.Helper()
	transport := newTransport()
	t.Cleanup(transport.CloseIdleConnections)
	rt, err := router.New(router.Options{NoAuth: true, Micros: []router.Micro{
		{Name: "web", Primary: true, Handler: http.NotFoundHandler()},
		{Name: "api", Path: "/api", Handler: newMicroProxy("api", port, transport, logger)},
	}})
	require.NoError(t, err)
	return rt
}

func TestMicroProxyKeepsRouterDecisions(t *testing.T) {
	rt := newProxyRouter(t, newEchoMicro(t), slog.New(slog.DiscardHandler))
	req := httptest.NewRequest("GET", "http://app.localhost:4200/api/files/a%2Fb?x=1", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	req.Header.Set("X-Forwarded-Prefix", "/forged")
	req.Header.Set("X-Custom", "kept")
	rec := httptest.NewRecorder()
	rt.ServeHTTP(rec, req)

	require.Equal(t, 200, rec.Code, rec.Body.String())
	var got map[string]string
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
	assert.Equal(t, map[string]string{
		"host":    "app.localhost:4200",
		"escaped": "/files/a%2Fb",
		"query":   "x=1",
		"for":     "192.0.2.1",
		"fhost":   "app.localhost:4200",
		"proto":   "http",
		"prefix":  "/api",
		"custom":  "kept",
	}, got)
}

func TestMicroProxyUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())

	var logs bytes.Buffer
	rt := newProxyRouter(t, port, slog.New(slog.NewTextHandler(&logs, nil)))
	rec := httptest.NewRecorder()
	rt.ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost/api/x", nil))

	assert.Equal(t, http.StatusBadGateway, rec.Code)
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	addr := "127.0.0.1:" + strconv.Itoa(port)
	assert.JSONEq(t, `{"error":"bad_gateway","message":"Micro api is not reachable on `+addr+
		`; see its output"}`, rec.Body.String())
	assert.Contains(t, logs.String(), `level=WARN msg="micro unreachable" micro=api address=`+
		addr)
}
