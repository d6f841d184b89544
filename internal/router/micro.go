package router

import (
	"net/http"
	"sync/atomic"

	"github.com/spacekit/spacekit/spacefile"
)

// Micro is one HTTP service of the app, with the settings that the router applies to it.
type Micro struct {
	// Name identifies the Micro in errors and logs. It matches ^[A-Za-z0-9][A-Za-z0-9_-]*$ and
	// is unique in the app.
	Name string
	// Path is the URL prefix the Micro serves: "/" for the primary, and for any other Micro a
	// path such as "/api" or "/v1/api". [New] normalises it with [NormalisePath].
	Path string
	// WrittenPath is the path as the app's author wrote it, when Path was derived from it,
	// such as by the spacefile package's normalisation. Errors about an invalid Path quote
	// it instead of the normalised Path. It does not change routing. Empty means Path.
	WrittenPath string
	// Primary marks the Micro that serves "/" and every path no other Micro claims. A lone
	// Micro is the primary regardless of this field.
	Primary bool
	// Handler serves the Micro's requests after the router has stripped the prefix. In
	// spacetest it is the Micro itself; in spacedev it is a reverse proxy to the Micro's port.
	Handler http.Handler
	// Public makes every route of the Micro public, like public_routes: ["/*"]. It may not be
	// combined with PublicRoutes.
	Public bool
	// PublicRoutes are patterns of micro-relative paths that bypass authentication, such as
	// "/public/*". The middleware package defines their syntax.
	PublicRoutes []string
	// AppKeys lets the Micro accept the keys the app's user created, sent as X-Space-App-Key.
	AppKeys bool
	// Actions are the ids of the scheduled actions the Micro declares. [Router.Trigger] posts
	// an action's event to the Micro that declares it.
	Actions []string
}

// micro is a validated Micro with what the router precomputes for it.
type micro struct {
	Micro
	segments []string     // the segments of Path, empty for the primary
	probe    *publicProbe // decides whether a path is one of the Micro's public routes
	// chain is the Micro's authentication middleware around Handler. AddAppKey replaces it,
	// so it is read atomically.
	chain atomic.Pointer[http.Handler]
}

// NormalisePath applies the Spacefile's path rules to the path of the non-primary Micro
// called name with [spacefile.NormalisePath]: an empty path becomes the name, a leading "/"
// is added and one trailing "/" is removed. Unlike the spacefile package, which turns "/"
// into "", it keeps "/", which [New] rejects for a non-primary Micro as the spacefile package
// rejects "".
func NormalisePath(name, path string) string {
	if normalised := spacefile.NormalisePath(name, path); normalised != "" {
		return normalised
	}
	return "/"
}

// handler returns the handler that authenticates and serves the Micro's requests.
func (m *micro) handler() http.Handler {
	return *m.chain.Load()
}
