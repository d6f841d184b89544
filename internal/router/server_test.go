package router_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/internal/router"
)

// newMicroProxy returns a reverse proxy to target that follows the contract of the package
// documentation: Rewrite keeps the stripped path and the Host, and copies the router's
// forwarded headers.
func newMicroProxy(target *url.URL) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme = target.Scheme
			pr.Out.URL.Host = target.Host
			for _, name := range router.ForwardedHeaders {
				if values, ok := pr.In.Header[name]; ok {
					pr.Out.Header[name] = values
				}
			}
		},
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, _ error) {
			w.WriteHeader(http.StatusBadGateway)
		},
	}
}

// startMicro starts a loopback server for h and returns its URL.
func startMicro(t *testing.T, h http.Handler) *url.URL {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	return u
}

// startRouter serves a router over loopback, with each Micro behind a reverse proxy.
func startRouter(t *testing.T, timeout time.Duration, micros ...router.Micro) *httptest.Server {
	t.Helper()
	r, err := router.New(router.Options{Micros: micros, NoAuth: true, RequestTimeout: timeout})
	require.NoError(t, err)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv
}

func TestRouterOverSocketsThroughProxies(t *testing.T) {
	t.Parallel()
	web := startMicro(t, echo("web"))
	api := startMicro(t, echo("api"))
	srv := startRouter(t, 0,
		router.Micro{Name: "web", Primary: true, Handler: newMicroProxy(web)},
		router.Micro{Name: "api", Handler: newMicroProxy(api)})
	tests := []struct{ target, micro, escapedPath, query, prefix string }{
		{"/apiary", "web", "/apiary", "", ""},
		{"/api", "api", "/", "", "/api"},
		{"/api/", "api", "/", "", "/api"},
		{"/api/users?id=7", "api", "/users", "id=7", "/api"},
		{"/API/x", "web", "/API/x", "", ""},
		{"/api/files/a%2Fb", "api", "/files/a%2Fb", "", "/api"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest(http.MethodGet, srv.URL+tt.target, nil)
			require.NoError(t, err)
			req.Header.Set("X-Forwarded-For", "203.0.113.9")
			req.Header.Set("Connection", "X-Forwarded-Host")
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)
			var s seen
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&s))
			host := srv.Listener.Addr().String()
			assert.Equal(t, tt.micro, s.Micro)
			assert.Equal(t, tt.escapedPath, s.EscapedPath)
			assert.Equal(t, tt.query, s.Query)
			assert.Equal(t, host, s.Host)
			assert.Equal(t, []string{"127.0.0.1"}, s.Header["X-Forwarded-For"])
			assert.Equal(t, []string{host}, s.Header["X-Forwarded-Host"])
			assert.Equal(t, []string{"http"}, s.Header["X-Forwarded-Proto"])
			if tt.prefix == "" {
				assert.NotContains(t, s.Header, "X-Forwarded-Prefix")
			} else {
				assert.Equal(t, []string{tt.prefix}, s.Header["X-Forwarded-Prefix"])
			}
		})
	}
}

func TestRouterOverSocketsUnreachableMicro(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := &url.URL{Scheme: "http", Host: ln.Addr().String()}
	require.NoError(t, ln.Close())
	srv := startRouter(t, 0, router.Micro{Name: "web", Handler: newMicroProxy(closed)})

	resp, err := srv.Client().Get(srv.URL + "/")
	require.NoError(t, err)
	defer resp.Body.Close()

	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
}

func TestRouterOverSocketsTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	slow := startMicro(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		<-release
	}))
	t.Cleanup(func() { close(release) })
	srv := startRouter(t, 50*time.Millisecond,
		router.Micro{Name: "web", Handler: newMicroProxy(slow)})

	resp, err := srv.Client().Get(srv.URL + "/")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
	assert.Equal(t, `{"error":"gateway_timeout","message":"the Micro did not answer within `+
		`50ms"}`+"\n", string(body))
}

func TestRouterOverSocketsHandlerIgnoringTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := startRouter(t, 50*time.Millisecond, router.Micro{Name: "web",
		Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release })})
	t.Cleanup(func() { close(release) })

	resp, err := srv.Client().Get(srv.URL + "/")
	require.NoError(t, err)
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	require.NoError(t, err)

	assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
	assert.True(t, resp.Close, "the connection is busy until the handler returns")
}

func TestRouterOverSocketsCutOffResponse(t *testing.T) {
	t.Parallel()
	srv := startRouter(t, 50*time.Millisecond, router.Micro{Name: "web",
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("partial"))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		})})

	resp, err := srv.Client().Get(srv.URL + "/")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)

	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "partial", string(body))
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

func TestRouterOverSocketsClientGone(t *testing.T) {
	t.Parallel()
	canceled := make(chan error, 1)
	srv := startRouter(t, 0, router.Micro{Name: "web",
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
			canceled <- r.Context().Err()
		})})
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/", nil)
	require.NoError(t, err)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	cancel()
	_ = resp.Body.Close()

	assert.ErrorIs(t, <-canceled, context.Canceled)
}
