package router_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/spacekit/spacekit/internal/router"
)

func TestRoutingTable(t *testing.T) {
	t.Parallel()
	r := newRouter(t, threeMicros()...)
	tests := []struct {
		target      string
		micro       string
		path        string
		escapedPath string
		query       string
	}{
		{"/apiary", "web", "/apiary", "/apiary", ""},
		{"/api", "api", "/", "/", ""},
		{"/api/", "api", "/", "/", ""},
		{"/api/users?id=7", "api", "/users", "/users", "id=7"},
		{"/API/x", "web", "/API/x", "/API/x", ""},
		{"/api/files/a%2Fb", "api", "/files/a/b", "/files/a%2Fb", ""},
		{"/", "web", "/", "/", ""},
		{"/index.html?x=1&y=2", "web", "/index.html", "/index.html", "x=1&y=2"},
		{"/v1/api/items", "v1api", "/items", "/items", ""},
		{"/v1/api", "v1api", "/", "/", ""},
		{"/v1/apis", "web", "/v1/apis", "/v1/apis", ""},
		{"/v1/x", "web", "/v1/x", "/v1/x", ""},
		{"/v1", "web", "/v1", "/v1", ""},
		{"/api/users/", "api", "/users/", "/users/", ""},
		{"/api/a%20b", "api", "/a b", "/a%20b", ""},
		{"/%61pi/x", "api", "/x", "/x", ""},
		{"/api/x/../y", "api", "/y", "/y", ""},
		{"/web/../api/z", "api", "/z", "/z", ""},
		{"//api//users", "api", "/users", "/users", ""},
		{"/api/../apiary", "web", "/apiary", "/apiary", ""},
		{"/api%2Fx", "api", "/x", "/x", ""},
		{"/api/a%2F..%2Fb", "api", "/b", "/b", ""},
		{"/api/d%2Fe/./f", "api", "/d/e/f", "/d%2Fe/f", ""},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			t.Parallel()
			s := decodeSeen(t, serve(r, httptest.NewRequest(http.MethodGet, tt.target, nil)))
			assert.Equal(t, tt.micro, s.Micro)
			assert.Equal(t, tt.path, s.Path)
			assert.Equal(t, tt.escapedPath, s.EscapedPath)
			assert.Equal(t, tt.query, s.Query)
			assert.Equal(t, s.EscapedPath+queryPart(tt.query), s.RequestURI)
		})
	}
}

func queryPart(q string) string {
	if q == "" {
		return ""
	}
	return "?" + q
}

// TestRoutingLongestPrefixFirst declares the Micros shortest path first and longest path
// first, so that neither the first nor the last match in declaration order passes.
func TestRoutingLongestPrefixFirst(t *testing.T) {
	t.Parallel()
	orders := [][]string{
		{"web:/", "v1:/v1", "v1api:/v1/api", "v1apix:/v1/api/x"},
		{"v1apix:/v1/api/x", "v1api:/v1/api", "v1:/v1", "web:/"},
	}
	for _, order := range orders {
		testLongestPrefixFirst(t, newRouter(t, echoMicros(order...)...))
	}
}

func testLongestPrefixFirst(t *testing.T, r *router.Router) {
	t.Helper()
	tests := []struct{ target, micro, path string }{
		{"/v1", "v1", "/"},
		{"/v1/other", "v1", "/other"},
		{"/v1/api", "v1api", "/"},
		{"/v1/api/y", "v1api", "/y"},
		{"/v1/api/x", "v1apix", "/"},
		{"/v1/api/x/z", "v1apix", "/z"},
		{"/v1/api/xy", "v1api", "/xy"},
		{"/v2", "web", "/v2"},
	}
	for _, tt := range tests {
		s := decodeSeen(t, serve(r, httptest.NewRequest(http.MethodGet, tt.target, nil)))
		assert.Equal(t, tt.micro, s.Micro, tt.target)
		assert.Equal(t, tt.path, s.Path, tt.target)
	}
}

func TestRoutingLoneMicroIsPrimary(t *testing.T) {
	t.Parallel()
	r := newRouter(t, echoMicros("only:")...)
	s := decodeSeen(t, serve(r, httptest.NewRequest(http.MethodGet, "/only/x", nil)))
	assert.Equal(t, "only", s.Micro)
	assert.Equal(t, "/only/x", s.Path)
	assert.True(t, r.Micros()[0].Primary)
	assert.Equal(t, "/", r.Micros()[0].Path)
}
