package router

import (
	"context"
	"log/slog"
)

// publicPathKey is the context key of the request's public path, the escaped path that the
// client requested before the router stripped the Micro's prefix. [deadlineContext] returns it.
type publicPathKey struct{}

// publicPathHandler is the log handler of the Micros' authentication middleware, which logs
// the Micro-relative path of its request as "path". For a request that the router routed,
// this handler logs the public path as "path", as the access log does, and the Micro-relative
// one as "micro_path", so both lines about a request name the same path.
type publicPathHandler struct {
	slog.Handler
}

// newMiddlewareLogger returns the logger that the router gives its middleware, or nil for a
// nil logger.
func newMiddlewareLogger(logger *slog.Logger) *slog.Logger {
	if logger == nil {
		return nil
	}
	return slog.New(publicPathHandler{logger.Handler()})
}

func (h publicPathHandler) Handle(ctx context.Context, rec slog.Record) error {
	public, ok := ctx.Value(publicPathKey{}).(string)
	if !ok {
		return h.Handler.Handle(ctx, rec)
	}
	if len(public) > maxLoggedPathBytes {
		public = public[:maxLoggedPathBytes] + "..."
	}
	out := slog.NewRecord(rec.Time, rec.Level, rec.Message, rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == "path" {
			out.AddAttrs(slog.String("path", public), slog.Attr{Key: "micro_path", Value: a.Value})
		} else {
			out.AddAttrs(a)
		}
		return true
	})
	return h.Handler.Handle(ctx, out)
}

func (h publicPathHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return publicPathHandler{h.Handler.WithAttrs(attrs)}
}

func (h publicPathHandler) WithGroup(name string) slog.Handler {
	return publicPathHandler{h.Handler.WithGroup(name)}
}
