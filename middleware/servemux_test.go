package middleware_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/middleware"
)

// newMux returns a ServeMux with method and wildcard patterns whose handlers write what they
// see: the pattern, the path and the path values.
func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		info, _ := middleware.AuthInfoFrom(r.Context())
		fmt.Fprintf(w, "item %s %s %s", r.PathValue("id"), r.URL.Path, info.Method)
	})
	mux.HandleFunc("POST /items", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "created")
	})
	mux.HandleFunc("GET /public/{file...}", func(w http.ResponseWriter, r *http.Request) {
		info, _ := middleware.AuthInfoFrom(r.Context())
		fmt.Fprintf(w, "file %s %s", r.PathValue("file"), info.Method)
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "home")
	})
	return mux
}

func TestServeMuxBehindAuth(t *testing.T) {
	t.Parallel()
	auth, err := middleware.Auth(middleware.AuthOptions{APIKeys: apiKeys,
		PublicRoutes: []string{"/public/*"}})
	require.NoError(t, err)
	server := httptest.NewServer(auth(newMux()))
	t.Cleanup(server.Close)

	tests := []struct {
		name       string
		method     string
		path       string
		key        string
		wantStatus int
		wantBody   string
	}{
		{"item with key", "GET", "/items/7", "api-key-current", 200, "item 7 /items/7 api_key"},
		{"item without key", "GET", "/items/7", "", 401, ""},
		{"item with encoded slash", "GET", "/items/a%2Fb", "api-key-current", 200,
			"item a/b /items/a/b api_key"},
		{"dot segments are cleaned before the mux", "GET", "/x/../items/9", "api-key-current",
			200, "item 9 /items/9 api_key"},
		{"public file", "GET", "/public/css/app.css", "", 200, "file css/app.css public"},
		{"public dot segments to a private route", "GET", "/public/..%2fitems/7", "", 401, ""},
		{"public encoded slash", "GET", "/public%2Fcss", "", 401, ""},
		{"create with key", "POST", "/items", "api-key-current", 200, "created"},
		{"wrong method with key", "DELETE", "/items/7", "api-key-current", 405, ""},
		{"wrong method without key", "DELETE", "/items/7", "", 401, ""},
		{"home with key", "GET", "/", "api-key-current", 200, "home"},
		{"unknown path with key", "GET", "/nothing", "api-key-current", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest(tt.method, server.URL+tt.path, nil)
			require.NoError(t, err)
			if tt.key != "" {
				req.Header.Set("X-API-Key", tt.key)
			}
			resp, err := server.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := readBody(resp)
			require.NoError(t, err)

			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			if tt.wantBody != "" {
				assert.Equal(t, tt.wantBody, body)
			}
		})
	}
}
