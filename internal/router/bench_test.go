package router_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/spacekit/spacekit/internal/router"
)

// benchWriter is a ResponseWriter that keeps nothing, so that the benchmarks measure the
// router rather than a recorder.
type benchWriter struct {
	header http.Header
	status int
}

func (w *benchWriter) Header() http.Header         { return w.header }
func (w *benchWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *benchWriter) WriteHeader(code int)        { w.status = code }

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte("ok"))
})

// BenchmarkRouter measures the router's overhead per request, with authentication by
// X-API-Key, for apps of 1 to 5 Micros. The request goes to the primary, so the router
// compares the path with every other Micro's prefix first. "direct" calls the handler alone.
func BenchmarkRouter(b *testing.B) {
	b.Run("direct", func(b *testing.B) {
		benchServe(b, okHandler)
	})
	for n := 1; n <= router.MaxMicros; n++ {
		b.Run(fmt.Sprintf("micros=%d", n), func(b *testing.B) {
			micros := []router.Micro{{Name: "web", Primary: true, Handler: okHandler}}
			for i := 1; i < n; i++ {
				name := fmt.Sprintf("m%d", i)
				micros = append(micros, router.Micro{Name: name, Handler: okHandler})
			}
			benchServe(b, newAuthRouter(b, newSessions(b), micros...))
		})
	}
}

func benchServe(b *testing.B, h http.Handler) {
	req := httptest.NewRequest(http.MethodGet, "/items/42?full=1", nil)
	req.Header.Set("X-API-Key", testAPIKey)
	w := &benchWriter{header: make(http.Header)}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.header)
		h.ServeHTTP(w, req)
	}
	if w.status != 0 && w.status != http.StatusOK {
		b.Fatalf("status %d", w.status)
	}
}
