// Package spacetest runs a whole Space app inside a Go test: the app's Micros behind the same
// router that the spacedev command serves, with the platform's routing, authentication,
// limits and scheduled actions, and no sockets.
//
// A test builds the app from handlers, or from the app's Spacefile with [FromSpacefile], and
// talks to it with ready clients:
//
//	app := spacetest.New(t,
//		spacetest.Micro{Name: "web", Primary: true, Handler: web},
//		spacetest.Micro{Name: "api", Handler: api, PublicRoutes: []string{"/health"}},
//	)
//	resp, err := app.Browser().Get(app.URL() + "/api/notes") // the owner, logged in
//	...
//	c := app.Client("web") // the client the web Micro would build from its environment
//	err = c.GetJSON(ctx, "/api/notes", &notes)
//
// A Micro builds its handler at start-up from its environment, with envconfig.Load and
// client.New. That environment exists once the App does, so such a Micro sets
// [Micro].NewHandler in place of Handler, and New calls it with the App before it returns:
//
//	spacetest.Micro{Name: "web", Primary: true,
//		NewHandler: func(app *spacetest.App) (http.Handler, error) {
//			return newHandler(app.Env("web"), app.Client("web"))
//		}},
//
// # What the app does, as on Space
//
//   - Routing: the primary serves "/" and every path that no other Micro claims. A Micro at
//     "/api" receives "/api" and everything below it, with the prefix stripped from the path
//     and its escaped form, so "/api/files/a%2Fb" arrives as "/files/a%2Fb". Matching is on
//     whole segments, case-sensitive, longest prefix first. The router sets X-Forwarded-For,
//     -Host, -Proto and, for Micros other than the primary, -Prefix, and drops any that the
//     client sent.
//   - Authentication is on by default and runs the middleware package. Public routes are
//     open. Every Micro accepts X-API-Key with the app's key, which is [App.Env]'s APIKey.
//     Micros with AppKeys accept X-Space-App-Key with a key from [App.NewAppKey]. Every Micro
//     accepts the session cookie that [App.Browser] carries. Everything else gets 401, or a
//     redirect to the login page for a browser navigation. [Options].NoAuth turns it off.
//   - Limits: 504 after the request timeout (20 s, see [Options]) and 413 for bodies above
//     5.5 MiB.
//   - Scheduled actions: [App.Trigger] posts an action's event; from outside,
//     /__space/v0/actions gets 404 unless it is a public route.
//
// Each Micro's environment ([App.Env]) names the app's host and key, so a Micro's own client
// reaches its siblings through the app. [App.Requests] lists what each Micro received, and
// [App.FailNext], [App.DropNext] and [App.SetLatency] inject faults, for testing retries and
// timeouts.
//
// # Transports
//
// By default everything runs in the test's process: the clients' transport calls the router
// directly, each request in a goroutine of its own. The response reaches the client when the
// handler returns, flushes, or has written a few KiB; the rest of the body streams, so a
// handler that streams does not deadlock. Canceling a request cancels the handler's context,
// and closing a body early does too. [App.Serve] starts the same router on a loopback
// [net/http/httptest.Server] for code that needs a real URL, such as code that calls
// client.FromEnv after [App.Setenv].
//
// # Isolation
//
// An App has no global state, so tests that build their own Apps can run with t.Parallel,
// except those that call [App.Setenv]. The test's cleanup cancels every request still under
// way, waits for the handlers, and closes the server, so goleak finds nothing left. A handler
// that ignores its request's context, and a handler that panics (other than with
// [net/http.ErrAbortHandler]), fail the test.
package spacetest
