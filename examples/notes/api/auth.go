package main

import (
	"log/slog"
	"net/http"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/middleware"
)

// newAuth returns the api Micro's own authentication, a second check behind the router
// (spacedev or spacetest) that authenticated every request it passes on. It admits a sibling
// Micro's X-API-Key with the app's key, and the browser session that the router forwards.
// The router gives every Micro the key and cookie name of its sessions in
// SPACEKIT_SESSION_KEY and SPACEKIT_SESSION_COOKIE, and middleware.AuthFromEnv verifies the
// cookie with them. A request that reaches the Micro's port directly with neither gets 401.
//
// NOTE: Space itself set no session key, so there the Micro admits only the app's key.
func newAuth(cfg envconfig.Config, logger *slog.Logger) (func(http.Handler) http.Handler, error) {
	return middleware.AuthFromEnv(cfg, middleware.AuthOptions{Logger: logger})
}
