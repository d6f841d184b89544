package router

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Space's limits, which the router enforces by default.
const (
	// DefaultRequestTimeout is how long a Micro may take to respond before the router sends
	// 504 Gateway Timeout.
	DefaultRequestTimeout = 20 * time.Second
	// DefaultMaxBodyBytes is the largest request body, 5.5 MiB; a larger one gets 413
	// Content Too Large.
	DefaultMaxBodyBytes int64 = 5_767_168
)

// limits are a router's request timeout and body limit, with the responses for each.
type limits struct {
	timeout     time.Duration
	maxBody     int64
	errTimeout  *routerError
	errTooLarge *routerError
}

func newLimits(timeout time.Duration, maxBody int64) *limits {
	if timeout == 0 {
		timeout = DefaultRequestTimeout
	}
	if maxBody == 0 {
		maxBody = DefaultMaxBodyBytes
	}
	return &limits{
		timeout:     timeout,
		maxBody:     maxBody,
		errTimeout:  newTimeoutError(timeout),
		errTooLarge: newBodyTooLargeError(maxBody),
	}
}

// limited is a request under the router's limits: its guard, and how to end it.
type limited struct {
	guard
	deadline deadlineContext // the guard's context
	cancel   context.CancelCauseFunc
	timer    *time.Timer    // calls timeout at the request timeout
	expiring sync.WaitGroup // done when timeout has finished or will never run

	// Storage for the Micro's request, so that it needs fewer allocations: its URL and the
	// values of the forwarded headers.
	url       url.URL
	forwarded [4]string
}

// limit puts req, which the router received at start, under the limits. The guard's context
// ends at the request timeout after start, with
// [errRequestTimeout] as its cause, and then the guard sends 504 or cuts the response off.
// When the declared Content-Length already exceeds the body limit, the guard has sent 413 and
// the handler must not run.
func (l *limits) limit(w http.ResponseWriter, req *http.Request, start time.Time) *limited {
	parent := req.Context()
	ctx, cancel := context.WithCancelCause(parent)
	lim := &limited{cancel: cancel}
	lim.deadline = deadlineContext{Context: ctx,
		deadline: deadline(parent, start.Add(l.timeout))}
	lim.guard = guard{w: w, ctx: &lim.deadline, limits: l}
	lim.expiring.Add(1)
	lim.timer = time.AfterFunc(l.timeout, lim.timeout)
	if r, ok := w.(CancelRegistrar); ok {
		r.RegisterCancel(cancel)
	}
	if req.ContentLength > l.maxBody {
		lim.replace(l.errTooLarge)
	}
	return lim
}

// timeout runs on the timer's goroutine at the request timeout. It ends the context and sends
// 504 or cuts the response off. A request whose client went away first is only canceled.
func (lim *limited) timeout() {
	defer lim.expiring.Done()
	if lim.deadline.Err() == nil {
		lim.guard.expired.Store(true)
	}
	lim.cancel(errRequestTimeout)
	lim.expire()
}

// CancelRegistrar is implemented by a ResponseWriter whose client can go away without the
// server noticing, such as spacetest's in-process writer. The router registers the function
// that cancels the handler's context, with the cause to report. net/http's server needs no
// such hook: it cancels the request's context itself when the connection closes.
type CancelRegistrar interface {
	RegisterCancel(cancel context.CancelCauseFunc)
}

// deadlineContext reports the request timeout as the deadline of a context that a timer
// cancels, so a handler can plan with ctx.Deadline(). It embeds the *cancelCtx, so
// [context.Cause] and the contexts derived from it work as with any cancelable context.
//
// It also carries the request's public path for the middleware's log lines, which Value
// returns for publicPathKey without another context allocation per request.
type deadlineContext struct {
	context.Context
	deadline   time.Time
	publicPath string // the escaped path the client requested; see [publicPathHandler]
}

func (c *deadlineContext) Deadline() (time.Time, bool) { return c.deadline, true }

func (c *deadlineContext) Value(key any) any {
	if _, ok := key.(publicPathKey); ok {
		return c.publicPath
	}
	return c.Context.Value(key)
}

// deadline returns the earlier of parent's deadline and d.
func deadline(parent context.Context, d time.Time) time.Time {
	if pd, ok := parent.Deadline(); ok && pd.Before(d) {
		return pd
	}
	return d
}

// responded reports whether the router has already sent its own response, so the handler
// must not run.
func (lim *limited) responded() bool {
	return lim.state.Load() != responseOpen
}

// limitBody replaces the request's body with one that fails after maxBody bytes and makes the
// guard send 413.
func (lim *limited) limitBody(req *http.Request) {
	if req.Body == nil || req.Body == http.NoBody {
		return
	}
	req.Body = &limitedBody{
		ReadCloser: http.MaxBytesReader(&lim.guard, req.Body, lim.limits.maxBody),
		guard:      &lim.guard,
	}
}

// end stops the timeout and, when the handler returned, completes the response. It reports
// whether the response was cut off. When the timer has already fired, end waits until the
// timeout has sent its response. After a panic nothing more is written.
func (lim *limited) end(handlerReturned bool) (cutOff bool) {
	if lim.timer.Stop() {
		lim.expiring.Done()
	}
	lim.expiring.Wait()
	if handlerReturned {
		cutOff = lim.finish()
	}
	lim.cancel(context.Canceled)
	return cutOff
}

// limitedBody marks the guard when the handler reads past the body limit.
type limitedBody struct {
	io.ReadCloser
	guard *guard
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if _, ok := err.(*http.MaxBytesError); ok {
		b.guard.tooLarge.Store(true)
	}
	return n, err
}
