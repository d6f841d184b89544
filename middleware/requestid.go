package middleware

import (
	"context"
	"crypto/rand"
	"net/http"

	"github.com/spacekit/spacekit/internal/requestid"
)

// headerRequestID is [requestid.Header] in the canonical form that net/http stores.
var headerRequestID = http.CanonicalHeaderKey(requestid.Header)

// MaxRequestIDBytes is the maximum length of an incoming X-Request-ID that [RequestID] keeps.
const MaxRequestIDBytes = 64

// RequestID is middleware that gives each request an ID: the incoming X-Request-ID header when
// it contains a single value of 1 to [MaxRequestIDBytes] letters, digits, "-", "_", ".", or ":",
// else a new random ID of 26 characters. It sends the ID back in the response's X-Request-ID
// header and stores it in the request's context, where [RequestIDFrom] finds it and the client
// package sends it on to sibling Micros. A request whose context already carries an ID, because
// RequestID ran before, keeps that ID. Applied to a nil handler, it wraps
// [http.DefaultServeMux].
func RequestID(next http.Handler) http.Handler {
	if next == nil {
		next = http.DefaultServeMux
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := RequestIDFrom(r.Context())
		if !ok {
			id = incomingRequestID(r.Header)
			r = r.WithContext(requestid.NewContext(r.Context(), id))
		}
		w.Header()[headerRequestID] = []string{id}
		next.ServeHTTP(w, r)
	})
}

// RequestIDFrom returns the request ID that [RequestID] stored in ctx, and whether there is one.
func RequestIDFrom(ctx context.Context) (string, bool) {
	if ctx == nil {
		return "", false
	}
	return requestid.FromContext(ctx)
}

// incomingRequestID returns the request's X-Request-ID when it is acceptable, else a new ID.
func incomingRequestID(h http.Header) string {
	values := h[headerRequestID]
	if len(values) == 1 && isSafeRequestID(values[0]) {
		return values[0]
	}
	return rand.Text()
}

// isSafeRequestID reports whether id is short and made of characters that need no escaping in
// a header, a log line or a URL.
func isSafeRequestID(id string) bool {
	if id == "" || len(id) > MaxRequestIDBytes {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == ':'
		if !ok {
			return false
		}
	}
	return true
}
