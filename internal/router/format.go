package router

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/spacekit/spacekit/internal/redact"

	"github.com/spacekit/spacekit/envconfig"
)

// String returns a short description of the Router: its Micros with their paths, whether
// authentication is on, the number of app keys and the Sessions, such as
// router.Router{micros: [web /, api /api], api_key: [REDACTED], app_keys: 1 [REDACTED],
// sessions: middleware.Sessions{...}}. It never contains a key.
func (r *Router) String() string {
	if r == nil {
		return "router.Router(nil)"
	}
	var b strings.Builder
	b.WriteString("router.Router{micros: [" + r.microList() + "]")
	if r.noAuth {
		b.WriteString(", auth: off}")
		return b.String()
	}
	fmt.Fprintf(&b, ", api_key: %s, app_keys: %d %s, sessions: %s}", envconfig.Redacted,
		r.appKeyCount(), envconfig.Redacted, r.sessions.String())
	return b.String()
}

// GoString returns the description of [Router.String] for %#v, without a key.
func (r *Router) GoString() string {
	if r == nil {
		return "(*router.Router)(nil)"
	}
	return "&" + r.String()
}

// Format prints the description of [Router.String] for every verb, and that of
// [Router.GoString] for %#v, so that no verb, such as %d or %x, reaches the keys.
func (r *Router) Format(f fmt.State, verb rune) { redact.Format(f, verb, r) }

// LogValue implements [slog.LogValuer]: a Router logs its Micros, whether authentication is
// on and the number of app keys, and never a key.
func (r *Router) LogValue() slog.Value {
	if r == nil {
		return slog.StringValue(r.String())
	}
	if r.noAuth {
		return slog.GroupValue(slog.String("micros", r.microList()), slog.Bool("auth", false))
	}
	return slog.GroupValue(
		slog.String("micros", r.microList()),
		slog.Bool("auth", true),
		slog.String("api_key", envconfig.Redacted),
		slog.String("app_keys", strconv.Itoa(r.appKeyCount())+" "+envconfig.Redacted),
		slog.Any("sessions", r.sessions),
	)
}

// microList returns the Micros as "name path" pairs separated by ", ", in the order of
// Options.Micros.
func (r *Router) microList() string {
	parts := make([]string, len(r.micros))
	for i, m := range r.micros {
		path := m.Path
		if m == r.primary {
			path = "/"
		}
		parts[i] = m.Name + " " + path
	}
	return strings.Join(parts, ", ")
}

// appKeyCount returns the number of app keys added with AddAppKey.
func (r *Router) appKeyCount() int {
	r.keysMu.Lock()
	defer r.keysMu.Unlock()
	return len(r.appKeys)
}
