package reliability

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
)

// logCapture is a slog.Handler that keeps every record as a text line and counts the records
// per message. It is safe for concurrent use; handlers made by WithAttrs and WithGroup share
// the lines and the counts.
type logCapture struct {
	state *captureState
	text  slog.Handler
}

type captureState struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	counts map[string]int
}

// lockedWriter lets the text handler write into the shared buffer under its lock.
type lockedWriter struct{ state *captureState }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.state.mu.Lock()
	defer w.state.mu.Unlock()
	return w.state.buf.Write(p)
}

// newLogCapture returns a capture of every level, debug included.
func newLogCapture() *logCapture {
	state := &captureState{counts: map[string]int{}}
	text := slog.NewTextHandler(lockedWriter{state}, &slog.HandlerOptions{Level: slog.LevelDebug})
	return &logCapture{state: state, text: text}
}

// logger returns a logger that writes to the capture.
func (c *logCapture) logger() *slog.Logger { return slog.New(c) }

func (c *logCapture) Enabled(context.Context, slog.Level) bool { return true }

func (c *logCapture) Handle(ctx context.Context, r slog.Record) error {
	c.state.mu.Lock()
	c.state.counts[r.Message]++
	c.state.mu.Unlock()
	return c.text.Handle(ctx, r)
}

func (c *logCapture) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &logCapture{state: c.state, text: c.text.WithAttrs(attrs)}
}

func (c *logCapture) WithGroup(name string) slog.Handler {
	return &logCapture{state: c.state, text: c.text.WithGroup(name)}
}

// count returns the number of records with the message.
func (c *logCapture) count(message string) int {
	c.state.mu.Lock()
	defer c.state.mu.Unlock()
	return c.state.counts[message]
}

// String returns every line so far.
func (c *logCapture) String() string {
	c.state.mu.Lock()
	defer c.state.mu.Unlock()
	return c.state.buf.String()
}
