package middleware

import (
	"context"
	"log/slog"
	"sync/atomic"

	"golang.org/x/time/rate"
)

// Log lines about rejected requests are limited to logLinesPerSecond, with bursts of up to
// logBurst, so that a flood of bad requests cannot fill the log.
const (
	logLinesPerSecond = 10
	logBurst          = 10
)

// throttledLogger writes at most logLinesPerSecond lines to a [slog.Logger] and counts the lines
// it drops. The next line it writes carries that count in a "suppressed" attribute. A nil
// *throttledLogger writes nothing. It is safe for concurrent use.
//
// NOTE: the count of dropped lines is reported only with the next line written, so the count of
// the last burst of a flood stays unreported until another line is logged.
type throttledLogger struct {
	logger     *slog.Logger
	limiter    *rate.Limiter
	suppressed atomic.Int64
}

// newThrottledLogger returns nil for a nil logger, so that logging stays silent.
func newThrottledLogger(logger *slog.Logger) *throttledLogger {
	if logger == nil {
		return nil
	}
	return &throttledLogger{
		logger:  logger,
		limiter: rate.NewLimiter(logLinesPerSecond, logBurst),
	}
}

// log writes one line unless the rate limit drops it.
func (t *throttledLogger) log(ctx context.Context, level slog.Level, msg string,
	attrs ...slog.Attr) {
	if t == nil || !t.logger.Enabled(ctx, level) {
		return
	}
	if !t.limiter.Allow() {
		t.suppressed.Add(1)
		return
	}
	if n := t.suppressed.Swap(0); n > 0 {
		attrs = append(attrs, slog.Int64("suppressed", n))
	}
	t.logger.LogAttrs(ctx, level, msg, attrs...)
}
