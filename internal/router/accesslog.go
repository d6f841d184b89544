package router

import (
	"context"
	"log/slog"
	"time"
)

// AccessRecord describes one request that the router handled, for an access log.
type AccessRecord struct {
	// Method is the request method.
	Method string
	// Path is the escaped path that the client requested, before the router stripped the
	// prefix. It never contains the query, which may carry a login token.
	Path string
	// Micro is the name of the Micro the path belongs to, even when the Micro's handler did
	// not run, as with a 401, 404 or 413. It is empty for LoginPath and LogoutPath.
	Micro string
	// Status is the status code sent, or 0 when the response was aborted before any was sent.
	Status int
	// Duration is the time from the router receiving the request to the handler returning.
	Duration time.Duration
	// Aborted reports that the response was cut off: the handler panicked, or it exceeded
	// the request timeout after it started its response.
	Aborted bool
}

// maxLoggedPathBytes bounds the path in a log line, since a client chooses its length.
const maxLoggedPathBytes = 256

// logRequest passes the record to the access log hook and logs it at debug level.
func (r *Router) logRequest(ctx context.Context, rec AccessRecord) {
	r.record(rec)
	if r.logger == nil || !r.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	path := rec.Path
	if len(path) > maxLoggedPathBytes {
		path = path[:maxLoggedPathBytes] + "..."
	}
	r.logger.LogAttrs(ctx, slog.LevelDebug, "request",
		slog.String("method", rec.Method),
		slog.String("path", path),
		slog.String("micro", rec.Micro),
		slog.Int("status", rec.Status),
		slog.Duration("duration", rec.Duration),
		slog.Bool("aborted", rec.Aborted))
}

// record passes rec to the access log hook, if any.
func (r *Router) record(rec AccessRecord) {
	if r.accessLog != nil {
		r.accessLog(rec)
	}
}

// logLimit logs a request that the router ended with 413 or 504, or cut off, at warning
// level. lim is nil for a request that never reached the limits.
func (r *Router) logLimit(ctx context.Context, lim *limited, rec AccessRecord) {
	if r.logger == nil || lim == nil {
		return
	}
	var msg string
	switch replaced := lim.replaced.Load(); {
	case rec.Aborted && replaced == nil:
		msg = "response aborted"
	case replaced == r.limits.errTimeout:
		msg = "request timed out"
	case replaced == r.limits.errTooLarge:
		msg = "request body too large"
	default:
		return
	}
	r.logger.LogAttrs(ctx, slog.LevelWarn, msg, slog.String("method", rec.Method),
		slog.String("micro", rec.Micro), slog.Int("status", rec.Status))
}

// log writes a line about the router itself, if it has a logger.
func (r *Router) log(level slog.Level, msg string, attrs ...slog.Attr) {
	if r.logger != nil {
		r.logger.LogAttrs(context.Background(), level, msg, attrs...)
	}
}
