package client

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/spacekit/spacekit/internal/requestid"
)

// maxRequestIDLength bounds the X-Request-ID that is sent on. A longer ID, or one with
// characters other than visible ASCII, is not sent, so that it cannot break the request.
const maxRequestIDLength = 200

// Do sends req and returns the final response, as [http.Client.Do] does, with the key, the
// request ID, the retries, the rate limit and the redirect policy of the Client.
//
// req must use the Client's origin, as requests from [Client.NewRequest] do. Do does not
// modify req, and closes its body, even on errors. The response is returned whatever its
// status, including a 503 that remained after every retry, and the caller must close its body.
// Do drains and closes the bodies of the failed attempts before it.
//
// Do returns an error only when it has no response to return: no attempt got one, the context
// ended, or the wait before a retry would pass the deadline. The error is an *[Error], unless
// req itself is invalid.
//
// req's context limits the whole call, retries and waits included.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	resp, _, err := c.do("Do", req, false)
	return resp, err
}

// do is Do that also returns the number of attempts, for the errors of the JSON helpers. owned
// is true for a request that the Client built for itself and never shows the caller, so that
// its header can take the key without being copied first.
func (c *Client) do(op string, req *http.Request, owned bool) (*http.Response, int, error) {
	if err := c.checkRequest(op, req); err != nil {
		closeRequestBody(req)
		return nil, 0, err
	}
	k := c.newCall(req, owned)
	resp, err := k.run()
	return resp, k.attempts, err
}

// checkRequest rejects a request that is nil, goes to another origin, or has a ".." or empty
// segment.
func (c *Client) checkRequest(op string, req *http.Request) error {
	switch {
	case req == nil:
		return fmt.Errorf("client: %s: request is nil: build it with NewRequest", op)
	case req.URL == nil:
		return fmt.Errorf("client: %s: request has no URL: build it with NewRequest", op)
	case !sameOrigin(req.URL, c.base):
		return fmt.Errorf("client: %s: request URL %q is not on the app's origin %q: build it "+
			"with NewRequest, which takes a path", op, redactedURL(req.URL), c.base)
	case hasDotDotSegment(req.URL.Path):
		return fmt.Errorf(`client: %s: request path %q contains a ".." segment, which could `+
			`leave the Micro's prefix: send the path without it`, op, redactedPath(req.URL))
	case strings.Contains(req.URL.EscapedPath(), "//"):
		return fmt.Errorf(`client: %s: request path %q contains an empty segment "//": `+
			`remove the extra "/"`, op, redactedPath(req.URL))
	}
	return nil
}

func closeRequestBody(req *http.Request) {
	if req != nil && req.Body != nil {
		_ = req.Body.Close()
	}
}

// call is the state of one Do: the request that carries the key, and the attempts so far.
type call struct {
	c   *Client
	ctx context.Context

	// req is the request that carries the key: a copy of the caller's request with its own
	// header, or a request that the Client built for itself. Every retry sends a shallow copy
	// of it, because the transport may still be closing the body of the previous attempt.
	req *http.Request

	attempts int

	// lastStatus is the status of the last attempt, or 0 if it got no response.
	lastStatus int

	// bodyPending is true while the caller's body has not been handed to the transport, which
	// closes it. Until then, an error must close it.
	bodyPending bool
}

// newCall returns the state of a call for req. Unless owned is true, the key goes into a copy
// of req with its own header, so that req stays unchanged.
func (c *Client) newCall(req *http.Request, owned bool) call {
	out := req
	if !owned {
		out = new(http.Request)
		*out = *req
		out.Header = req.Header.Clone()
	}
	if out.Method == "" {
		out.Method = http.MethodGet
	}
	if out.Header == nil {
		out.Header = make(http.Header, 2)
	}
	out.Header[canonicalAPIKeyHeader] = []string{c.key().Reveal()}
	setRequestID(out)

	hasBody := req.Body != nil && req.Body != http.NoBody
	return call{c: c, ctx: req.Context(), req: out, bodyPending: hasBody}
}

// setRequestID sends on the request ID of req's context, unless req already has one.
func setRequestID(req *http.Request) {
	id, ok := requestid.FromContext(req.Context())
	if !ok || !validRequestID(id) || req.Header.Get(canonicalRequestIDHeader) != "" {
		return
	}
	req.Header[canonicalRequestIDHeader] = []string{id}
}

func validRequestID(id string) bool {
	if len(id) > maxRequestIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] >= 0x7f {
			return false
		}
	}
	return true
}

// run sends attempts until one succeeds, fails for good, or the retries run out. Each round
// has four steps: wait for the rate limiter, send one attempt, classify the outcome, and wait
// before the next attempt. A context that is already done ends the call before anything is
// sent.
func (k *call) run() (*http.Response, error) {
	for {
		if err := k.ctx.Err(); err != nil {
			return nil, k.fail(err)
		}
		if err := k.c.waitForLimiter(k.ctx); err != nil {
			return nil, k.fail(err)
		}
		req, cancel, err := k.prepare()
		if err != nil {
			return nil, k.fail(err)
		}
		resp, err := k.send(req, cancel)

		retry, reason := k.classify(resp, err)
		if !retry {
			return k.finish(resp, err, reason)
		}

		if err := k.waitToRetry(resp, err); err != nil {
			return nil, k.fail(fmt.Errorf("retry: %w", err))
		}
	}
}

// prepare returns the request for the next attempt, with a fresh copy of the body from the
// second attempt on, and with the attempt's own context when attempts have a timeout.
func (k *call) prepare() (*http.Request, context.CancelFunc, error) {
	req := k.req
	if k.attempts > 0 {
		next := *req
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, nil, fmt.Errorf("rewinding the request body for attempt %d: %w",
					k.attempts+1, err)
			}
			next.Body = body
		}
		req = &next
	}

	if k.c.attemptTimeout <= 0 {
		return req, nil, nil
	}
	ctx, cancel := context.WithTimeout(k.ctx, k.c.attemptTimeout)
	return req.WithContext(ctx), cancel, nil
}

// send sends one attempt. With an attempt timeout, closing the response body ends the
// attempt's context.
func (k *call) send(req *http.Request, cancel context.CancelFunc) (*http.Response, error) {
	k.attempts++
	k.bodyPending = false
	resp, err := k.c.hc.Do(req)
	k.lastStatus = 0
	if resp != nil {
		k.lastStatus = resp.StatusCode
	}
	if err != nil {
		// When the redirect policy fails, net/http returns the last redirect response, with
		// its body closed, together with the error.
		resp = nil
	}
	if cancel == nil {
		return resp, err
	}
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// classify reports whether the outcome of the last attempt calls for another one. When the
// outcome is worth a retry but the rules forbid it, reason gives the cause, which is also logged.
func (k *call) classify(resp *http.Response, err error) (retry bool, reason string) {
	worthRetry, _ := checkRetry(k.ctx, resp, err)
	if !worthRetry || k.attempts > k.c.retryMax {
		return false, ""
	}
	permitted, reason := retryPermitted(k.req, err)
	if !permitted {
		k.log("client: request not retried", resp, err, slog.String("reason", reason))
	}
	return permitted, reason
}

// finish returns the last attempt's response, or its error as an *Error.
func (k *call) finish(resp *http.Response, err error, reason string) (*http.Response, error) {
	if err == nil {
		hideKey(resp)
		return resp, nil
	}
	err = redactError(err)
	if reason != "" {
		err = fmt.Errorf("%w (not retried: %s)", err, reason)
	}
	return nil, k.fail(err)
}

// hideKey removes the key from the header of resp.Request, the last request sent, so that a
// caller who logs or dumps it does not expose the key. The transport has written that header
// before the response arrived, and no later attempt reads it.
func hideKey(resp *http.Response) {
	if resp.Request != nil {
		delete(resp.Request.Header, canonicalAPIKeyHeader)
	}
}

// waitToRetry logs the retry, releases the failed response and waits for the backoff.
func (k *call) waitToRetry(resp *http.Response, err error) error {
	wait := k.c.backoff(k.c.waitMin, k.c.waitMax, k.attempts-1, resp)
	k.log("client: retrying request", resp, err, slog.Duration("wait", wait))
	discard(resp)
	return waitFor(k.ctx, wait)
}

// fail returns err as an *Error about the call, and closes the caller's body if the transport
// never received it.
func (k *call) fail(err error) *Error {
	if k.bodyPending {
		closeRequestBody(k.req)
		k.bodyPending = false
	}
	return &Error{
		Method:     k.req.Method,
		URL:        redactedURL(k.req.URL),
		StatusCode: k.lastStatus,
		Attempts:   k.attempts,
		Err:        err,
	}
}

// log writes one warning about the last attempt: the method, the redacted path, the attempt
// number, the status or the error, and extra.
func (k *call) log(msg string, resp *http.Response, err error, extra slog.Attr) {
	if k.c.logger == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", k.req.Method),
		slog.String("path", redactedPath(k.req.URL)),
		slog.Int("attempt", k.attempts),
		extra,
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", redactError(err).Error()))
	}
	if id := k.req.Header.Get(canonicalRequestIDHeader); id != "" {
		attrs = append(attrs, slog.String("request_id", id))
	}
	k.c.logger.LogAttrs(k.ctx, slog.LevelWarn, msg, attrs...)
}
