package router

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"sync/atomic"
)

// States of a guard's response.
const (
	responseOpen     int32 = iota // nothing sent yet
	responseStarted               // the handler's status line and header were sent
	responseReplaced              // the router sent its own 413 or 504 instead
	responseCutOff                // the request timed out after the handler started its response
)

// errHijack is returned by guard.Hijack: Space has no websockets, so no handler may take over
// the connection.
var errHijack = errors.New("router: Space supports no websockets or other hijacked " +
	"connections: answer with a plain HTTP response")

// guard is the [http.ResponseWriter] the router passes to a Micro. It enforces the limits on
// the response. When the request times out before the handler has started its response, the
// router sends 504. When the handler read more of the body than allowed, the router sends 413.
// In both cases the handler's own response is dropped and its writes fail. When the request
// times out after the handler started its response, the handler's writes fail and the router
// aborts the response, so the client gets a broken connection rather than a short body.
//
// The handler's header is a map of its own, copied to w when the response starts, because the
// router may send 504 from another goroutine while the handler is still setting headers.
// Every transition of state is a compare-and-swap, so exactly one of the handler and the
// router writes the status line to w, and only the winner touches w.
type guard struct {
	w        http.ResponseWriter
	header   http.Header
	state    atomic.Int32
	status   int // written by the winner of the transition out of responseOpen
	ctx      context.Context
	limits   *limits
	tooLarge atomic.Bool // the handler read past limits.maxBody
	expired  atomic.Bool // the request timeout passed before the client went away
	replaced atomic.Pointer[routerError]
}

// Header returns the handler's header map.
func (g *guard) Header() http.Header {
	if g.header == nil {
		g.header = make(http.Header)
	}
	return g.header
}

// WriteHeader starts the response with code, unless the router must respond instead. Codes
// from 100 to 199 are dropped, because Space sends no informational responses.
func (g *guard) WriteHeader(code int) {
	if code >= 100 && code < 200 || g.state.Load() != responseOpen {
		return
	}
	if e := g.routerResponse(); e != nil {
		g.replace(e)
		return
	}
	if !g.state.CompareAndSwap(responseOpen, responseStarted) {
		return
	}
	copyHeader(g.w.Header(), g.header)
	g.status = code
	g.w.WriteHeader(code)
}

// routerResponse returns the error response that the router sends instead of the handler's,
// or nil.
func (g *guard) routerResponse() *routerError {
	if g.timedOut() {
		return g.limits.errTimeout
	}
	if g.tooLarge.Load() {
		return g.limits.errTooLarge
	}
	return nil
}

// Write sends p as part of the body, starting the response with 200 if needed.
func (g *guard) Write(p []byte) (int, error) {
	if g.state.Load() == responseOpen {
		g.WriteHeader(http.StatusOK)
	}
	if g.cutOffAtDeadline() != responseStarted {
		return 0, g.writeError()
	}
	return g.w.Write(p)
}

// timedOut reports whether the request timeout has passed. The timer sets the flag before it
// cancels the context, so a handler that saw its context end finds the flag set.
func (g *guard) timedOut() bool {
	return g.expired.Load()
}

// writeError is the error of a write that the guard refuses.
func (g *guard) writeError() error {
	if g.replaced.Load() == g.limits.errTooLarge {
		return &http.MaxBytesError{Limit: g.limits.maxBody}
	}
	return http.ErrHandlerTimeout
}

// Flush sends what the handler has written so far, starting the response with 200 if needed.
func (g *guard) Flush() {
	if g.state.Load() == responseOpen {
		g.WriteHeader(http.StatusOK)
	}
	if g.cutOffAtDeadline() == responseStarted {
		flush(g.w)
	}
}

// cutOffAtDeadline cuts a started response off once the request timeout has passed, and
// returns the state.
func (g *guard) cutOffAtDeadline() int32 {
	if g.timedOut() {
		g.state.CompareAndSwap(responseStarted, responseCutOff)
	}
	return g.state.Load()
}

// Hijack always fails: see errHijack. It exists so that [http.ResponseController] stops here
// instead of reaching the server's connection through Unwrap.
func (g *guard) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return nil, nil, errHijack
}

// Unwrap returns the underlying writer, for [http.ResponseController].
func (g *guard) Unwrap() http.ResponseWriter { return g.w }

// replace sends the router's error response in place of the handler's, if nothing was sent
// yet, and reports whether it did.
func (g *guard) replace(e *routerError) bool {
	if !g.state.CompareAndSwap(responseOpen, responseReplaced) {
		return false
	}
	g.replaced.Store(e)
	g.status = e.status
	e.write(g.w)
	return true
}

// expire runs at the request timeout. It sends 504 if the handler has sent nothing, and
// otherwise cuts the response off. A request that its client canceled first is left alone.
func (g *guard) expire() {
	if !g.timedOut() {
		return
	}
	if g.replace(g.limits.errTimeout) {
		flush(g.w)
		return
	}
	g.state.CompareAndSwap(responseStarted, responseCutOff)
}

// finish completes the response after the handler returned: a handler that sent nothing gets
// 200, or the router's 413 or 504, and trailers the handler set are passed on. It reports
// whether the response was cut off.
func (g *guard) finish() (cutOff bool) {
	if g.state.Load() == responseOpen {
		g.WriteHeader(http.StatusOK)
	}
	if g.state.Load() == responseStarted {
		copyTrailers(g.w.Header(), g.header)
	}
	return g.state.Load() == responseCutOff
}

// copyTrailers copies the trailers that the handler declared in a Trailer header, or set with
// [http.TrailerPrefix], after the response started.
func copyTrailers(dst, src http.Header) {
	for _, declared := range src["Trailer"] {
		for name := range strings.SplitSeq(declared, ",") {
			name = http.CanonicalHeaderKey(textproto.TrimString(name))
			if values, ok := src[name]; ok {
				dst[name] = values
			}
		}
	}
	for name, values := range src {
		if strings.HasPrefix(name, http.TrailerPrefix) {
			dst[name] = values
		}
	}
}

func flush(w http.ResponseWriter) {
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
		return
	}
	_ = http.NewResponseController(w).Flush()
}

func copyHeader(dst, src http.Header) {
	for name, values := range src {
		dst[name] = values
	}
}
