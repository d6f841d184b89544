package router_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestForwardedHeadersReplaceClientValues(t *testing.T) {
	t.Parallel()
	r := newRouter(t, threeMicros()...)
	req := httptest.NewRequest(http.MethodGet, "/api/x", nil)
	req.RemoteAddr = "198.51.100.7:51234"
	req.Host = "notes.example"
	req.Header.Set("X-Forwarded-For", "203.0.113.1")
	req.Header.Set("X-Forwarded-Host", "evil.example")
	req.Header.Set("X-Forwarded-Proto", "https")
	req.Header.Set("X-Forwarded-Prefix", "/evil")
	req.Header.Set("X-Forwarded-Port", "1")
	req.Header.Set("Forwarded", "for=203.0.113.1")
	req.Header["x-forwarded-user"] = []string{"admin"}

	s := decodeSeen(t, serve(r, req))

	assert.Equal(t, []string{"198.51.100.7"}, s.Header["X-Forwarded-For"])
	assert.Equal(t, []string{"notes.example"}, s.Header["X-Forwarded-Host"])
	assert.Equal(t, []string{"http"}, s.Header["X-Forwarded-Proto"])
	assert.Equal(t, []string{"/api"}, s.Header["X-Forwarded-Prefix"])
	assert.NotContains(t, s.Header, "X-Forwarded-Port")
	assert.NotContains(t, s.Header, "Forwarded")
	assert.NotContains(t, s.Header, "x-forwarded-user")
	assert.Equal(t, "notes.example", s.Host)
}

func TestForwardedHeadersPrimaryHasNoPrefix(t *testing.T) {
	t.Parallel()
	r := newRouter(t, threeMicros()...)
	req := httptest.NewRequest(http.MethodGet, "/page", nil)
	req.Header.Set("X-Forwarded-Prefix", "/evil")

	s := decodeSeen(t, serve(r, req))

	assert.Equal(t, "web", s.Micro)
	assert.NotContains(t, s.Header, "X-Forwarded-Prefix")
	assert.Equal(t, []string{"192.0.2.1"}, s.Header["X-Forwarded-For"])
}

func TestForwardedHeadersMultiSegmentPrefix(t *testing.T) {
	t.Parallel()
	r := newRouter(t, threeMicros()...)
	s := decodeSeen(t, serve(r, httptest.NewRequest(http.MethodGet, "/v1/api/x", nil)))
	assert.Equal(t, []string{"/v1/api"}, s.Header["X-Forwarded-Prefix"])
}

func TestForwardedProtoHTTPS(t *testing.T) {
	t.Parallel()
	r := newRouter(t, threeMicros()...)
	req := httptest.NewRequest(http.MethodGet, "/api", nil)
	req.TLS = &tls.ConnectionState{}
	s := decodeSeen(t, serve(r, req))
	assert.Equal(t, []string{"https"}, s.Header["X-Forwarded-Proto"])
}

func TestHopByHopHeadersRemoved(t *testing.T) {
	t.Parallel()
	r := newRouter(t, threeMicros()...)
	req := httptest.NewRequest(http.MethodGet, "/api", nil)
	req.Header.Set("Connection", "keep-alive, X-Custom-Hop, X-Forwarded-For")
	req.Header.Set("X-Custom-Hop", "1")
	req.Header.Set("Keep-Alive", "timeout=5")
	req.Header.Set("Proxy-Connection", "keep-alive")
	req.Header.Set("Proxy-Authorization", "Basic eDp5")
	req.Header.Set("Te", "trailers")
	req.Header.Set("Trailer", "X-T")
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("X-End-To-End", "kept")

	s := decodeSeen(t, serve(r, req))

	for _, name := range []string{"Connection", "X-Custom-Hop", "Keep-Alive",
		"Proxy-Connection", "Proxy-Authorization", "Te", "Trailer", "Upgrade"} {
		assert.NotContains(t, s.Header, name)
	}
	assert.Equal(t, []string{"kept"}, s.Header["X-End-To-End"])
	assert.Equal(t, []string{"192.0.2.1"}, s.Header["X-Forwarded-For"],
		"a client must not remove X-Forwarded-For by naming it in Connection")
}

func TestRouterDoesNotChangeTheIncomingRequest(t *testing.T) {
	t.Parallel()
	r := newRouter(t, threeMicros()...)
	req := httptest.NewRequest(http.MethodGet, "/api/x", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.1")
	req.Header.Set("Connection", "close")

	serve(r, req)

	assert.Equal(t, "/api/x", req.URL.Path)
	assert.Equal(t, "/api/x", req.RequestURI)
	assert.Equal(t, "203.0.113.1", req.Header.Get("X-Forwarded-For"))
	assert.Equal(t, "close", req.Header.Get("Connection"))
}
