package main

import (
	"context"
	"log/slog"

	"github.com/spacekit/spacekit/internal/router"
)

// maxLoggedPathBytes bounds the path in an access log line, since a client chooses its length.
const maxLoggedPathBytes = 256

// accessLogger returns the router's access log hook: one info line per request with the
// method, the escaped path without the query (which may carry a login token), the Micro, the
// status and the duration. The router's own login and logout endpoints log the Micro as "-".
func accessLogger(logger *slog.Logger) func(router.AccessRecord) {
	return func(rec router.AccessRecord) {
		micro, path := rec.Micro, rec.Path
		if micro == "" {
			micro = "-"
		}
		if len(path) > maxLoggedPathBytes {
			path = path[:maxLoggedPathBytes] + "..."
		}
		attrs := []slog.Attr{
			slog.String("method", rec.Method),
			slog.String("path", path),
			slog.String("micro", micro),
			slog.Int("status", rec.Status),
			slog.Duration("duration", rec.Duration),
		}
		if rec.Aborted {
			attrs = append(attrs, slog.Bool("aborted", true))
		}
		logger.LogAttrs(context.Background(), slog.LevelInfo, "request", attrs...)
	}
}

// minLevelHandler drops the records below a level. The router's logger uses it, because the
// router's debug lines repeat the access log.
type minLevelHandler struct {
	slog.Handler
	min slog.Level
}

func (h minLevelHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= h.min && h.Handler.Enabled(ctx, level)
}

func (h minLevelHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevelHandler{h.Handler.WithAttrs(attrs), h.min}
}

func (h minLevelHandler) WithGroup(name string) slog.Handler {
	return minLevelHandler{h.Handler.WithGroup(name), h.min}
}
