package spacetest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacetest"
)

// routingTable is the routing behaviour of Space, with the values a Micro receives.
var routingTable = []struct {
	target, micro, path, escapedPath, query string
}{
	{"/apiary", "web", "/apiary", "/apiary", ""},
	{"/api", "api", "/", "/", ""},
	{"/api/", "api", "/", "/", ""},
	{"/api/users?id=7", "api", "/users", "/users", "id=7"},
	{"/API/x", "web", "/API/x", "/API/x", ""},
	{"/api/files/a%2Fb", "api", "/files/a/b", "/files/a%2Fb", ""},
	{"/v1/api/items", "v1api", "/items", "/items", ""},
	{"/v1/api", "v1api", "/", "/", ""},
	{"/v1/apis", "web", "/v1/apis", "/v1/apis", ""},
}

func TestRouting(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, micros3()...)
	browser := app.Browser()
	for _, tt := range routingTable {
		t.Run(tt.target, func(t *testing.T) {
			t.Parallel()
			s := decode(t, get(t, browser, app, tt.target))
			assert.Equal(t, tt.micro, s.Micro)
			assert.Equal(t, tt.path, s.Path)
			assert.Equal(t, tt.escapedPath, s.EscapedPath)
			assert.Equal(t, tt.query, s.Query)
			assert.Equal(t, spacetest.Hostname, s.Host)
		})
	}
}

func TestRoutingForwardedHeaders(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, micros3()...)
	tests := []struct{ target, prefix string }{{"/api/x", "/api"}, {"/v1/api", "/v1/api"},
		{"/page", ""}}
	for _, tt := range tests {
		req, err := http.NewRequest(http.MethodGet, app.URL()+tt.target, nil)
		require.NoError(t, err)
		req.Header.Set("X-Forwarded-For", "203.0.113.1")
		req.Header.Set("X-Forwarded-Host", "evil.example")
		req.Header.Set("X-Forwarded-Proto", "https")
		req.Header.Set("X-Forwarded-Prefix", "/evil")
		req.Header.Set("Connection",
			"X-Forwarded-For, X-Forwarded-Host, X-Forwarded-Proto, X-Forwarded-Prefix")
		resp, err := app.Browser().Do(req)
		require.NoError(t, err)

		s := decode(t, resp)

		assert.Equal(t, []string{"127.0.0.1"}, s.Header["X-Forwarded-For"], tt.target)
		assert.Equal(t, []string{spacetest.Hostname}, s.Header["X-Forwarded-Host"], tt.target)
		assert.Equal(t, []string{"http"}, s.Header["X-Forwarded-Proto"], tt.target)
		if tt.prefix == "" {
			assert.NotContains(t, s.Header, "X-Forwarded-Prefix", tt.target)
		} else {
			assert.Equal(t, []string{tt.prefix}, s.Header["X-Forwarded-Prefix"], tt.target)
		}
		assert.NotContains(t, s.Header, "Connection", tt.target)
	}
}
