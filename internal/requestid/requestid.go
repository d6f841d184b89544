// Package requestid carries a request ID in a context, so that the middleware package can store
// the ID of an incoming request and the client package can send it on to a sibling Micro.
package requestid

import "context"

// Header is the HTTP header that carries a request ID.
const Header = "X-Request-ID"

type contextKey struct{}

// NewContext returns a copy of ctx that carries id.
func NewContext(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, contextKey{}, id)
}

// FromContext returns the request ID stored in ctx by [NewContext], and whether there was one.
// An empty ID counts as none.
func FromContext(ctx context.Context) (string, bool) {
	id, ok := ctx.Value(contextKey{}).(string)
	return id, ok && id != ""
}
