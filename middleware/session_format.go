package middleware

import (
	"fmt"
	"log/slog"
	"strconv"

	"github.com/spacekit/spacekit/internal/redact"

	"github.com/spacekit/spacekit/envconfig"
)

// String returns a short description of the Sessions: the number of signing keys, the
// cookie's name and the session TTL, such as
// middleware.Sessions{keys: 2 [REDACTED], cookie: "space_session", ttl: 168h0m0s}.
// It never contains a byte of a key.
func (s *Sessions) String() string {
	if s == nil {
		return "middleware.Sessions(nil)"
	}
	return fmt.Sprintf("middleware.Sessions{keys: %d %s, cookie: %q, ttl: %v}", len(s.keys),
		envconfig.Redacted, s.cookieName, s.ttl)
}

// GoString returns the description of [Sessions.String] for %#v, without a key.
func (s *Sessions) GoString() string {
	if s == nil {
		return "(*middleware.Sessions)(nil)"
	}
	return "&" + s.String()
}

// Format prints the description of [Sessions.String] for every verb, and that of
// [Sessions.GoString] for %#v, so that no verb, such as %d or %x, reaches the keys.
func (s *Sessions) Format(f fmt.State, verb rune) { redact.Format(f, verb, s) }

// LogValue implements [slog.LogValuer]: Sessions log the number of keys, the cookie's name
// and the TTL, and never a key.
func (s *Sessions) LogValue() slog.Value {
	if s == nil {
		return slog.StringValue(s.String())
	}
	return slog.GroupValue(
		slog.String("keys", strconv.Itoa(len(s.keys))+" "+envconfig.Redacted),
		slog.String("cookie", s.cookieName),
		slog.Duration("ttl", s.ttl),
	)
}
