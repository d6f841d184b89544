// Package router is Deta Space's router, the one implementation that spacetest runs in
// process and the spacedev command serves on a socket, so that the two cannot disagree.
//
// A [Router] is an [http.Handler] in front of an app's Micros. For each request it:
//
//   - matches the cleaned, decoded path to a Micro on whole segments, case-sensitively and
//     longest prefix first: with a Micro at "/api", "/api", "/api/" and "/api/users" go to it,
//     while "/apiary" and "/API/x" go to the primary unchanged;
//   - enforces Space's limits: a request timeout (20 s by default) that returns 504, and a
//     body limit (5.5 MiB by default) that returns 413, both from the Content-Length header
//     up front and while the handler reads a streamed body;
//   - strips the Micro's prefix from a copy of the request, from Path and RawPath alike, so
//     "/api/files/a%2Fb" reaches the Micro with EscapedPath() "/files/a%2Fb", and "/api"
//     arrives as "/"; the query is kept. A path with "." or ".." segments or doubled slashes is
//     cleaned first, and the Micro receives the cleaned path;
//   - removes the hop-by-hop headers, including those that Connection names, and every
//     client-sent X-Forwarded-* and Forwarded header, then sets X-Forwarded-For (the client's
//     IP from RemoteAddr), X-Forwarded-Host, X-Forwarded-Proto and, for a Micro other than the
//     primary, X-Forwarded-Prefix (the stripped prefix, such as "/api"). The primary gets no
//     X-Forwarded-Prefix;
//   - authenticates with the middleware package's Auth, built for each Micro from its public
//     routes, the app's key, the app keys added with [Router.AddAppKey] (for Micros with
//     AppKeys) and the session cookies of [Options.Sessions];
//   - serves the request with the Micro's handler.
//
// The router also owns the paths of the Space runtime. [LoginPath] and [LogoutPath] are served
// by the Sessions' login and logout handlers. [ActionsPath] on any Micro gets 404 from outside
// unless it is a public route of that Micro; [Router.Trigger] posts an action's event there as
// Space's scheduler did.
//
// # Serving Micros through a reverse proxy
//
// When a Micro runs as its own process, its [Micro.Handler] is an [httputil.ReverseProxy].
// The proxy must keep what the router decided:
//
//   - Use Rewrite, not Director. Set Out.URL's scheme and host to the Micro's address and keep
//     Out.URL's Path and RawPath, which the router has stripped. Keep Out.Host equal to
//     In.Host: Space passes the app's Host header on.
//   - ReverseProxy removes X-Forwarded-For, -Host and -Proto from the outgoing request when it
//     uses Rewrite. Copy each header of [ForwardedHeaders] from pr.In.Header to pr.Out.Header;
//     do not call SetXForwarded, which would append to the router's values.
//   - In ErrorHandler, answer 502 when the Micro cannot be reached. The router replaces that
//     answer with 504 when the request timeout has passed, and with 413 when the body was too
//     large, so the handler need not tell these apart.
//
// # Timeouts and handlers that ignore them
//
// The handler runs on the request's goroutine, with a context that ends at the request
// timeout. When the timeout passes before the handler has started its response, the router
// sends 504 at once, from another goroutine, with Connection: close, and the handler's later
// writes fail with [http.ErrHandlerTimeout]. When it passes after the response started, the
// handler's writes fail and, once the handler returns, the router panics with
// [http.ErrAbortHandler], so the client sees a broken connection rather than a short body.
// NOTE: a handler that ignores its context keeps the request's goroutine until it returns.
package router
