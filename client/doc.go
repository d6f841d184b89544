// Package client calls a Micro's sibling Micros on the app's own hostname.
//
// On Space every Micro of an app shares one hostname: the primary Micro serves "/" and each
// other Micro its own path prefix, such as "/api". A Micro calls a sibling by sending a request
// to https://$DETA_SPACE_APP_HOSTNAME plus the sibling's path, with the app-internal key
// DETA_API_KEY in the X-API-Key header. A [Client] does that, and adds what such calls need:
//
//   - Paths only. Requests take a path on the app's host, such as "/api/notes?id=7". Absolute
//     URLs, scheme-relative "//host" paths and ".." segments are rejected before anything is
//     sent.
//   - A key that stays home. X-API-Key is sent on every attempt, and removed from any redirect
//     hop whose origin (scheme, host and port) differs from the original request's. Each hop is
//     compared with the original request, so an https-to-http downgrade on the same host loses
//     the key, and a hop that comes back to the app's origin carries it again.
//   - Safe retries. Transport errors, 429 and 5xx other than 501 are retried with exponential
//     backoff and jitter, and Retry-After is honoured up to the maximum wait. Only idempotent
//     methods, requests with an Idempotency-Key header, and requests whose dial failed, which
//     proves that they never reached the server, are retried. Every attempt sends the same
//     body bytes.
//   - Deadlines. A retry wait or rate-limiter wait that would pass the context's deadline is
//     not started. The call returns at once with an error that wraps
//     [context.DeadlineExceeded].
//   - Quiet, redacted diagnostics. Logging goes to a [log/slog] logger and is off by default.
//     Errors and log lines show the path with query values replaced by "REDACTED". They never
//     show the key, and neither does the Request of a returned response.
//   - Request IDs. A request ID that the middleware package stored in the context is sent on
//     as X-Request-ID.
//
// Build a Client once, with [New] or [FromEnv], and share it: it is safe for concurrent use
// and keeps a pool of connections to the app's host.
//
// The retry loop is written here rather than delegated to
// [github.com/hashicorp/go-retryablehttp], whose Client.Do (v0.7.8) decides on retries without
// seeing the request, sleeps without checking the deadline, closes every idle connection of the
// transport when a call fails, and buffers request bodies into memory. The retry policy keeps
// retryablehttp's hook shapes and its rules for which transport errors are permanent.
package client
