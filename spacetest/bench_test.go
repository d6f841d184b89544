package spacetest_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"

	"github.com/spacekit/spacekit/spacetest"
)

// benchHandler is the Micro that every benchmark calls. It sends a small JSON response.
var benchHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"id":42,"title":"note"}`))
})

// BenchmarkGet measures one GET to a Micro, with the body read to the end, in the ways a test
// can send it. "spacetest" goes through an App in process. "httptest_reverse_proxy" goes
// through a loopback httptest.Server behind an httputil.ReverseProxy, which is what tests
// build without spacetest. "direct_recorder" calls the handler with an
// httptest.ResponseRecorder, which skips routing and HTTP altogether.
func BenchmarkGet(b *testing.B) {
	b.Run("spacetest", func(b *testing.B) {
		app := spacetest.New(b,
			spacetest.Micro{Name: "web", Primary: true, Handler: http.NotFoundHandler()},
			spacetest.Micro{Name: "api", Handler: benchHandler, Public: true})
		c := &http.Client{Transport: app.HTTPClient().Transport} // no cookie jar, like the others
		benchClient(b, c, app.URL()+"/api/notes/42")
	})
	b.Run("spacetest_api_key", func(b *testing.B) {
		app := spacetest.New(b,
			spacetest.Micro{Name: "web", Primary: true, Handler: http.NotFoundHandler()},
			spacetest.Micro{Name: "api", Handler: benchHandler})
		c := &http.Client{Transport: keyTransport{base: app.HTTPClient().Transport,
			key: app.Env("web").APIKey.Reveal()}}
		benchClient(b, c, app.URL()+"/api/notes/42")
	})
	b.Run("httptest_reverse_proxy", func(b *testing.B) {
		micro := httptest.NewServer(benchHandler)
		defer micro.Close()
		target, _ := url.Parse(micro.URL)
		proxy := httptest.NewServer(httputil.NewSingleHostReverseProxy(target))
		defer proxy.Close()
		benchClient(b, proxy.Client(), proxy.URL+"/notes/42")
	})
	b.Run("direct_recorder", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rec := httptest.NewRecorder()
			benchHandler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/notes/42", nil))
			if _, err := io.ReadAll(rec.Result().Body); err != nil || rec.Code != http.StatusOK {
				b.Fatalf("status %d, error %v", rec.Code, err)
			}
		}
	})
}

func benchClient(b *testing.B, c *http.Client, target string) {
	b.ReportAllocs()
	for b.Loop() {
		resp, err := c.Get(target)
		if err != nil {
			b.Fatal(err)
		}
		_, err = io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d, error %v", resp.StatusCode, err)
		}
	}
}

// keyTransport adds X-API-Key to each request, as the client package does.
type keyTransport struct {
	base http.RoundTripper
	key  string
}

func (t keyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("X-API-Key", t.key)
	return t.base.RoundTrip(req)
}
