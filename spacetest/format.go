package spacetest

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/spacekit/spacekit/internal/redact"

	"github.com/spacekit/spacekit/envconfig"
)

// String returns a short description of the App: its Micros with their paths, its URL and
// whether authentication is on, such as
// spacetest.App{micros: [web /, api /api], url: "http://app.spacetest.localhost",
// api_key: [REDACTED], auth: on}. It never contains a key.
func (a *App) String() string {
	if a == nil {
		return "spacetest.App(nil)"
	}
	auth := "off"
	if a.sessions != nil {
		auth = "on"
	}
	return fmt.Sprintf("spacetest.App{micros: [%s], url: %q, api_key: %s, auth: %s}",
		a.microList(), a.URL(), envconfig.Redacted, auth)
}

// GoString returns the description of [App.String] for %#v, without a key.
func (a *App) GoString() string {
	if a == nil {
		return "(*spacetest.App)(nil)"
	}
	return "&" + a.String()
}

// Format prints the description of [App.String] for every verb, and that of [App.GoString]
// for %#v, so that no verb, such as %d or %x, reaches the keys.
func (a *App) Format(f fmt.State, verb rune) { redact.Format(f, verb, a) }

// LogValue implements [slog.LogValuer]: an App logs its Micros, its URL and whether
// authentication is on, and never a key.
func (a *App) LogValue() slog.Value {
	if a == nil {
		return slog.StringValue(a.String())
	}
	return slog.GroupValue(
		slog.String("micros", a.microList()),
		slog.String("url", a.URL()),
		slog.String("api_key", envconfig.Redacted),
		slog.Bool("auth", a.sessions != nil),
	)
}

// microList returns the Micros as "name path" pairs separated by ", ", in the order given.
func (a *App) microList() string {
	micros := a.router.Micros()
	parts := make([]string, len(micros))
	for i, m := range micros {
		parts[i] = m.Name + " " + m.Path
	}
	return strings.Join(parts, ", ")
}
