// Package middleware protects a Micro's routes the way Deta Space did, with net/http middleware
// of the usual shape func(http.Handler) http.Handler.
//
// [Auth] admits a request when its path matches one of the Micro's public routes, or when it
// carries a valid key or session cookie. X-API-Key carries the app-internal key that Micros
// send each other, and X-Space-App-Key the keys that the app's user created. Every other
// request is rejected: a browser navigation is redirected to the login
// page, and anything else gets 401 with a small JSON body. Handlers learn how a request was
// admitted with [AuthInfoFrom].
//
// [Sessions] issues and verifies the signed session cookies and exchanges one-time login tokens
// for them. [RequestID], [Recover] and [RateLimit] cover the rest of a Micro's request handling,
// and [Chain] composes them in a stated order:
//
//	auth, err := middleware.AuthFromEnv(cfg, middleware.AuthOptions{
//		PublicRoutes: []string{"/public/*"},
//	})
//	...
//	handler := middleware.Chain(middleware.RequestID, middleware.Recover(logger), auth).Then(mux)
//
// Nothing in the package logs unless it is given a [log/slog.Logger], and no log line, error or
// response ever contains a key or a cookie value.
package middleware
