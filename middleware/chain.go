package middleware

import (
	"net/http"
	"slices"
)

// Middlewares is an immutable list of middleware, built by [Chain]. The zero value is an empty
// list, whose Then returns the handler unchanged. It is safe for concurrent use.
type Middlewares struct {
	list []func(http.Handler) http.Handler
}

// Chain returns the middleware m as one list. [Middlewares.Then] applies them so that the first
// is outermost: Chain(a, b, c).Then(h) is a(b(c(h))), and a request passes through a, then b,
// then c, then h. Nil entries are skipped.
func Chain(m ...func(http.Handler) http.Handler) Middlewares {
	return Middlewares{}.Append(m...)
}

// Append returns a new list with m after the existing middleware, which is unchanged. Nil
// entries are skipped.
func (c Middlewares) Append(m ...func(http.Handler) http.Handler) Middlewares {
	list := slices.Clone(c.list)
	for _, mw := range m {
		if mw != nil {
			list = append(list, mw)
		}
	}
	return Middlewares{list: list}
}

// Then returns h wrapped in the middleware, the first outermost. A nil h means
// [http.DefaultServeMux], as for [http.Server]. Each call wraps h anew.
func (c Middlewares) Then(h http.Handler) http.Handler {
	if h == nil {
		h = http.DefaultServeMux
	}
	for i := len(c.list) - 1; i >= 0; i-- {
		h = c.list[i](h)
	}
	return h
}

// ThenFunc is [Middlewares.Then] for a handler function. A nil fn means [http.DefaultServeMux].
func (c Middlewares) ThenFunc(fn http.HandlerFunc) http.Handler {
	if fn == nil {
		return c.Then(nil)
	}
	return c.Then(fn)
}
