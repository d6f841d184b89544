package main

import (
	"context"
	"log/slog"
	"sync/atomic"

	"golang.org/x/time/rate"
)

// Lines that a client can cause, such as a failed proxy request or a rejected control request,
// are limited to throttleLinesPerSecond, so that a browser polling a stopped Micro cannot fill
// the log.
const throttleLinesPerSecond = 5

// throttledLogger writes at most throttleLinesPerSecond lines, and adds to the next line it
// writes the count of the lines it dropped. It is safe for concurrent use.
type throttledLogger struct {
	logger     *slog.Logger
	limiter    *rate.Limiter
	suppressed atomic.Int64
}

func newThrottledLogger(logger *slog.Logger) *throttledLogger {
	return &throttledLogger{
		logger:  logger,
		limiter: rate.NewLimiter(throttleLinesPerSecond, throttleLinesPerSecond),
	}
}

func (t *throttledLogger) log(level slog.Level, msg string, attrs ...slog.Attr) {
	ctx := context.Background()
	if !t.logger.Enabled(ctx, level) {
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
