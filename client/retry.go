package client

import (
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// idempotencyKeyHeader marks a request that the server deduplicates, so that it may be retried
// whatever its method.
const idempotencyKeyHeader = "Idempotency-Key"

// Compile-time checks that the policy functions keep retryablehttp's hook shapes, so they can
// also serve a retryablehttp.Client.
var (
	_ retryablehttp.CheckRetry = checkRetry
	_ retryablehttp.Backoff    = (*Client)(nil).backoff
)

// checkRetry reports whether resp or err is worth another attempt: a transport error that
// retryablehttp does not consider permanent, 429, or a 5xx other than 501. It returns false
// once ctx is done. The method and the body are checked separately, by retryPermitted.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		var redirectErr *redirectError
		if errors.As(err, &redirectErr) {
			return false, err
		}
		// retryablehttp treats redirect loops, invalid headers, unsupported schemes and
		// certificate errors as permanent, and every other transport error as transient.
		return retryablehttp.ErrorPropagatedRetryPolicy(ctx, nil, err)
	}
	return retryableStatus(resp.StatusCode), nil
}

// retryableStatus reports whether a response with the given status is worth another attempt.
// 501 Not Implemented will not change on a retry.
func retryableStatus(code int) bool {
	if code == http.StatusTooManyRequests {
		return true
	}
	return code >= 500 && code <= 599 && code != http.StatusNotImplemented
}

// retryPermitted reports whether req may be sent again after a failure with err, and if not,
// why. A request may be retried when its body can be replayed and either its method is
// idempotent, it has an Idempotency-Key header, or err is a dial error, which proves that the
// request never reached the server.
func retryPermitted(req *http.Request, err error) (bool, string) {
	if !replayable(req) {
		return false, "the request body cannot be replayed: give the request a GetBody " +
			"function, for example by passing a bytes.Reader or strings.Reader to NewRequest"
	}
	if idempotent(req) || isDialError(err) {
		return true, ""
	}
	return false, req.Method + " is not idempotent: set an Idempotency-Key header to allow " +
		"retries"
}

// idempotent reports whether req's method is idempotent, or req has an Idempotency-Key header.
func idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return req.Header.Get(idempotencyKeyHeader) != ""
}

// replayable reports whether req's body, if it has one, can be read again from the start.
func replayable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// isDialError reports whether err happened while connecting, before any byte of the request
// was sent.
func isDialError(err error) bool {
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// backoff returns the wait before the retry that follows attempt attemptNum+1, so attemptNum
// is 0 before the first retry. A Retry-After header on resp, in seconds or as an HTTP date,
// sets the wait, capped at waitMax. Otherwise the wait is random between waitMin and
// waitMin·2^(attemptNum+1), capped at waitMax.
func (c *Client) backoff(waitMin, waitMax time.Duration, attemptNum int,
	resp *http.Response) time.Duration {
	if wait, ok := retryAfter(resp, time.Now()); ok {
		return max(0, min(wait, waitMax))
	}

	ceiling := exponentialCeiling(waitMin, waitMax, attemptNum)
	span := int64(ceiling - waitMin)
	if span <= 0 {
		return waitMin
	}
	return waitMin + time.Duration(c.jitter(span+1))
}

// exponentialCeiling returns waitMin·2^(attemptNum+1), capped at waitMax without overflowing.
func exponentialCeiling(waitMin, waitMax time.Duration, attemptNum int) time.Duration {
	shift := attemptNum + 1
	if shift >= 62 || waitMin > waitMax>>shift {
		return waitMax
	}
	return waitMin << shift
}

// retryAfter returns the wait that resp's Retry-After header requests, and whether it has a
// valid one. A date in the past means no wait.
func retryAfter(resp *http.Response, now time.Time) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	value := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if value == "" {
		return 0, false
	}

	if seconds, err := strconv.ParseInt(value, 10, 64); err == nil {
		if seconds < 0 {
			return 0, false
		}
		if seconds > math.MaxInt64/int64(time.Second) {
			return time.Duration(math.MaxInt64), true
		}
		return time.Duration(seconds) * time.Second, true
	}

	date, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	return date.Sub(now), true
}
