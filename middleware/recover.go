package middleware

import (
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
)

var bodyInternalError = encodeErrorBody("internal_error", "internal server error")

// Recover returns middleware that turns a panic in the handler into a 500 response with a JSON
// body, and logs the panic value and stack at [slog.LevelError] with the request's method,
// path and ID (see [RequestID]). When the handler had already started its response, Recover
// cannot replace it, so it aborts the response instead by panicking with
// [http.ErrAbortHandler], which net/http handles by closing the connection without a log line.
// A panic with [http.ErrAbortHandler] itself passes through unlogged. A nil logger means no
// logs. Applied to a nil handler, the middleware wraps [http.DefaultServeMux].
//
// The handler receives a [http.ResponseWriter] that records whether the response has started. It
// supports [http.Flusher], and [http.NewResponseController] reaches the original writer through
// its Unwrap method.
func Recover(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if next == nil {
			next = http.DefaultServeMux
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rw := &startedWriter{ResponseWriter: w}
			defer recoverPanic(logger, rw, r)
			next.ServeHTTP(rw, r)
		})
	}
}

// recoverPanic is deferred by [Recover]'s handler.
func recoverPanic(logger *slog.Logger, w *startedWriter, r *http.Request) {
	value := recover()
	if value == nil {
		return
	}
	if err, ok := value.(error); ok && errors.Is(err, http.ErrAbortHandler) {
		panic(value)
	}
	logPanic(logger, r, value, w.started)
	if w.started {
		panic(http.ErrAbortHandler)
	}
	writeJSONError(w.ResponseWriter, r, http.StatusInternalServerError, bodyInternalError)
}

func logPanic(logger *slog.Logger, r *http.Request, value any, started bool) {
	if logger == nil {
		return
	}
	id, _ := RequestIDFrom(r.Context())
	logger.LogAttrs(r.Context(), slog.LevelError, "handler panicked",
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("request_id", id),
		slog.Any("panic", value),
		slog.Bool("response_started", started),
		slog.String("stack", string(debug.Stack())))
}

// startedWriter records whether the response has started.
type startedWriter struct {
	http.ResponseWriter
	started bool
}

func (w *startedWriter) WriteHeader(status int) {
	// 1xx responses are informational: the final response can still follow.
	if status >= 200 {
		w.started = true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *startedWriter) Write(p []byte) (int, error) {
	w.started = true
	return w.ResponseWriter.Write(p)
}

// Flush implements [http.Flusher]. It does nothing when the original writer cannot flush.
func (w *startedWriter) Flush() {
	w.started = true
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap returns the original writer, for [http.NewResponseController].
func (w *startedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
