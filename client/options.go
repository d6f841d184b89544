package client

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/time/rate"
)

// Defaults of a [Client] built without options.
const (
	// DefaultRetryMax is the number of retries after the first attempt.
	DefaultRetryMax = 3

	// DefaultRetryWaitMin is the shortest wait before a retry.
	DefaultRetryWaitMin = 100 * time.Millisecond

	// DefaultRetryWaitMax is the longest wait before a retry, including one that Retry-After
	// requests.
	DefaultRetryWaitMax = 2 * time.Second
)

// Option configures a [Client]. Pass options to [New] or [FromEnv], which report every invalid
// option in one error.
type Option func(*settings) error

// settings are the values that options set, before New turns them into a Client.
type settings struct {
	retryMax       int
	waitMin        time.Duration
	waitMax        time.Duration
	attemptTimeout time.Duration
	limiter        *rate.Limiter
	logger         *slog.Logger
	httpClient     *http.Client
}

func defaultSettings() settings {
	return settings{
		retryMax: DefaultRetryMax,
		waitMin:  DefaultRetryWaitMin,
		waitMax:  DefaultRetryWaitMax,
	}
}

// applyOptions applies opts in order and joins the errors of every invalid one.
func applyOptions(opts []Option) (settings, error) {
	s := defaultSettings()
	var errs []error
	for i, opt := range opts {
		if opt == nil {
			errs = append(errs, fmt.Errorf("client: option %d is nil: remove it", i))
			continue
		}
		if err := opt(&s); err != nil {
			errs = append(errs, err)
		}
	}
	return s, errors.Join(errs...)
}

// WithRetryMax sets the number of retries after the first attempt, so a call makes at most n+1
// attempts. Zero turns retries off. The default is [DefaultRetryMax].
func WithRetryMax(n int) Option {
	return func(s *settings) error {
		if n < 0 {
			return fmt.Errorf("client: WithRetryMax(%d): n must be 0 or more", n)
		}
		s.retryMax = n
		return nil
	}
}

// WithRetryWait sets the shortest and longest wait before a retry. The wait before retry k
// (from 1) is a random duration between min and min·2^k, capped at max. A Retry-After header
// on the response replaces that wait, capped at max as well. The defaults are
// [DefaultRetryWaitMin] and [DefaultRetryWaitMax].
func WithRetryWait(min, max time.Duration) Option {
	return func(s *settings) error {
		if min <= 0 || max < min {
			return fmt.Errorf("client: WithRetryWait(%v, %v): min must be above zero and "+
				"max at least min", min, max)
		}
		s.waitMin, s.waitMax = min, max
		return nil
	}
}

// WithAttemptTimeout limits each attempt, from sending the request to closing the response
// body, to d. An attempt that times out counts as a transport error and is retried under the
// usual rules. The call as a whole is limited only by its context. By default attempts have
// no limit of their own.
func WithAttemptTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d <= 0 {
			return fmt.Errorf("client: WithAttemptTimeout(%v): d must be above zero", d)
		}
		s.attemptTimeout = d
		return nil
	}
}

// WithRateLimit limits the Client to r attempts per second, with bursts of up to burst
// attempts. Retries count as attempts. r must be above zero or [rate.Inf], and burst at least
// 1. By default there is no limit.
func WithRateLimit(r rate.Limit, burst int) Option {
	return func(s *settings) error {
		if !(r > 0) {
			return fmt.Errorf("client: WithRateLimit(%v, %d): r must be above zero or rate.Inf",
				r, burst)
		}
		if burst < 1 {
			return fmt.Errorf("client: WithRateLimit(%v, %d): burst must be 1 or more", r, burst)
		}
		s.limiter = rate.NewLimiter(r, burst)
		return nil
	}
}

// WithLogger sets the logger that receives one warning per retry, per retry that the rules
// forbid, and per redirect hop that loses the key. A nil logger, the default, logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		s.logger = l
		return nil
	}
}

// WithHTTPClient sends every attempt through hc's Transport, and uses its Jar and Timeout. A
// nil Transport means [http.DefaultTransport], as in net/http. The Client keeps its own
// redirect policy: hc's CheckRedirect, if set, runs first, and then the Client removes the key
// from hops to another origin. The Client does not modify hc.
//
// By default the Client uses a transport of its own that keeps up to 100 idle connections to
// the app's host.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return fmt.Errorf("client: WithHTTPClient(nil): pass an *http.Client, or leave " +
				"the option out for the default")
		}
		s.httpClient = hc
		return nil
	}
}
