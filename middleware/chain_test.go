package middleware_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/spacekit/spacekit/middleware"
)

// tag returns middleware that appends name to X-Order on the way in.
func tag(name string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("X-Order", name)
			next.ServeHTTP(w, r)
		})
	}
}

func order(h http.Handler) string {
	w := serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	return strings.Join(w.Header().Values("X-Order"), ",")
}

func TestChainOrder(t *testing.T) {
	t.Parallel()
	h := middleware.Chain(tag("a"), tag("b"), tag("c")).Then(tag("h")(okHandler()))
	assert.Equal(t, "a,b,c,h", order(h))
}

func TestChainAppendLeavesOriginal(t *testing.T) {
	t.Parallel()
	base := middleware.Chain(tag("a"))
	withB := base.Append(tag("b"))
	withC := base.Append(tag("c"))

	assert.Equal(t, "a", order(base.Then(okHandler())))
	assert.Equal(t, "a,b", order(withB.Then(okHandler())))
	assert.Equal(t, "a,c", order(withC.Then(okHandler())))
	assert.Equal(t, "a,b,d", order(withB.Append(tag("d")).Then(okHandler())))
	assert.Equal(t, "a,c", order(withC.Then(okHandler())))
}

func TestChainSkipsNil(t *testing.T) {
	t.Parallel()
	h := middleware.Chain(nil, tag("a"), nil).Append(nil, tag("b")).Then(okHandler())
	assert.Equal(t, "a,b", order(h))
}

func TestChainEmpty(t *testing.T) {
	t.Parallel()
	h := okHandler()
	assert.Equal(t, "", order(middleware.Chain().Then(h)))
	assert.Equal(t, "", order(middleware.Middlewares{}.Then(h)))
}

func TestChainThenFunc(t *testing.T) {
	t.Parallel()
	h := middleware.Chain(tag("a")).ThenFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "body")
	})
	w := serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, "body", w.Body.String())
	assert.Equal(t, "a", w.Header().Get("X-Order"))
}

func TestChainNilHandlerIsDefaultServeMux(t *testing.T) {
	t.Parallel()
	// http.DefaultServeMux returns 404 for a path that nothing registered.
	w := serve(middleware.Chain(tag("a")).Then(nil),
		httptest.NewRequest(http.MethodGet, "/spacekit-chain-test-unregistered", nil))
	assert.Equal(t, http.StatusNotFound, w.Code)
	w = serve(middleware.Chain().ThenFunc(nil),
		httptest.NewRequest(http.MethodGet, "/spacekit-chain-test-unregistered", nil))
	assert.Equal(t, http.StatusNotFound, w.Code)
}
