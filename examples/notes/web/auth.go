package main

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/middleware"
)

// newAuth returns the web Micro's own authentication, a second check behind the router
// (spacedev, or Space itself) that authenticated every request it passes on. It admits a
// sibling Micro's X-API-Key with the app's key and any request that the router forwarded,
// which [routerVerifier] recognises. A request that reaches the Micro's port directly with
// neither gets 401.
//
// The share pages are public here as in the Spacefile, so anyone may open them.
func newAuth(cfg envconfig.Config, logger *slog.Logger) (func(http.Handler) http.Handler, error) {
	return middleware.AuthFromEnv(cfg, middleware.AuthOptions{
		PublicRoutes: []string{"/share/*"},
		Sessions:     routerVerifier{hostname: cfg.Hostname},
		Logger:       logger,
	})
}

// routerVerifier admits the requests that the router forwarded. The router verifies the
// browser's session cookie itself and passes the request on without proof of that check, and
// the Micro has neither the cookie's name nor its signing key. What the Micro can see is the
// router's X-Forwarded-Host, which the router sets to the Host of every request after it
// removes any value the client sent, and which equals DETA_SPACE_APP_HOSTNAME when the
// browser uses the app's URL.
//
// NOTE: a local process that calls the Micro's port directly can send the same header, so this
// keeps out accidents, not attackers. The Micro listens on loopback only, off Space.
type routerVerifier struct {
	hostname string // the app's host, DETA_SPACE_APP_HOSTNAME
}

// VerifySession returns a session for the app's owner when r came through the router, else an
// error that matches [middleware.ErrNoSession].
func (v routerVerifier) VerifySession(r *http.Request) (middleware.Session, error) {
	forwarded := r.Header.Values("X-Forwarded-Host")
	if len(forwarded) != 1 || !strings.EqualFold(forwarded[0], v.hostname) {
		return middleware.Session{}, middleware.ErrNoSession
	}
	return middleware.Session{Subject: "owner"}, nil
}
