package client

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxJitter makes every backoff wait the longest its range allows.
func maxJitter(n int64) int64 { return n - 1 }

// noJitter makes every backoff wait the shortest its range allows.
func noJitter(int64) int64 { return 0 }

func TestBackoffIsExponential(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		jitter       func(int64) int64
		wantArrivals []time.Duration
	}{
		{
			name:   "longest waits",
			jitter: maxJitter,
			// Waits of 2s, 4s, 8s, then 10s, capped.
			wantArrivals: []time.Duration{0, 2 * time.Second, 6 * time.Second,
				14 * time.Second, 24 * time.Second},
		},
		{
			name:         "shortest waits",
			jitter:       noJitter,
			wantArrivals: []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second, 4 * time.Second},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				app := newFakeApp(statusAlways(http.StatusServiceUnavailable, nil))
				c := newFakeClient(t, app, WithRetryMax(4),
					WithRetryWait(time.Second, 10*time.Second))
				c.jitter = tt.jitter

				resp, err := c.Get(t.Context(), "/x")

				require.NoError(t, err)
				readAndClose(t, resp)
				assert.Equal(t, tt.wantArrivals, app.Arrivals())
			})
		})
	}
}

func TestBackoffStaysInRange(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "http://127.0.0.1:1")
	const waitMin, waitMax = 100 * time.Millisecond, 3 * time.Second
	ceilings := []time.Duration{200 * time.Millisecond, 400 * time.Millisecond,
		800 * time.Millisecond, 1600 * time.Millisecond, waitMax, waitMax}

	for attemptNum, ceiling := range ceilings {
		for range 1000 {
			wait := c.backoff(waitMin, waitMax, attemptNum, nil)
			require.GreaterOrEqual(t, wait, waitMin, "attempt %d", attemptNum)
			require.LessOrEqual(t, wait, ceiling, "attempt %d", attemptNum)
		}
	}
	assert.Equal(t, waitMin, c.backoff(waitMin, waitMin, 3, nil), "min equal to max")
	assert.Equal(t, waitMax, exponentialCeiling(waitMin, waitMax, 1000), "huge attempt number")
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		retryAfter func(now time.Time) string
		wantWait   time.Duration
	}{
		{
			name:       "seconds",
			status:     http.StatusServiceUnavailable,
			retryAfter: func(time.Time) string { return "3" },
			wantWait:   3 * time.Second,
		},
		{
			name:       "seconds on 429",
			status:     http.StatusTooManyRequests,
			retryAfter: func(time.Time) string { return "4" },
			wantWait:   4 * time.Second,
		},
		{
			name:       "seconds above the maximum",
			status:     http.StatusServiceUnavailable,
			retryAfter: func(time.Time) string { return "3600" },
			wantWait:   10 * time.Second,
		},
		{
			name:       "seconds that overflow",
			status:     http.StatusServiceUnavailable,
			retryAfter: func(time.Time) string { return "99999999999999999" },
			wantWait:   10 * time.Second,
		},
		{
			name:       "zero",
			status:     http.StatusServiceUnavailable,
			retryAfter: func(time.Time) string { return "0" },
			wantWait:   0,
		},
		{
			name:   "HTTP date",
			status: http.StatusServiceUnavailable,
			retryAfter: func(now time.Time) string {
				return now.Add(5 * time.Second).UTC().Format(http.TimeFormat)
			},
			wantWait: 5 * time.Second,
		},
		{
			name:   "HTTP date past the maximum",
			status: http.StatusServiceUnavailable,
			retryAfter: func(now time.Time) string {
				return now.Add(time.Hour).UTC().Format(http.TimeFormat)
			},
			wantWait: 10 * time.Second,
		},
		{
			name:   "HTTP date in the past",
			status: http.StatusServiceUnavailable,
			retryAfter: func(now time.Time) string {
				return now.Add(-time.Hour).UTC().Format(http.TimeFormat)
			},
			wantWait: 0,
		},
		{
			name:       "invalid value falls back to backoff",
			status:     http.StatusServiceUnavailable,
			retryAfter: func(time.Time) string { return "soon" },
			wantWait:   time.Second,
		},
		{
			name:       "negative value falls back to backoff",
			status:     http.StatusServiceUnavailable,
			retryAfter: func(time.Time) string { return "-5" },
			wantWait:   time.Second,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				app := newFakeApp(func(req *http.Request, attempt int) (*http.Response, error) {
					if attempt > 1 {
						return fakeResponse(req, http.StatusOK, nil, "ok"), nil
					}
					header := http.Header{"Retry-After": {tt.retryAfter(time.Now())}}
					return fakeResponse(req, tt.status, header, "busy"), nil
				})
				c := newFakeClient(t, app, WithRetryWait(time.Second, 10*time.Second))
				c.jitter = noJitter

				resp, err := c.Get(t.Context(), "/x")

				require.NoError(t, err)
				assert.Equal(t, "ok", readAndClose(t, resp))
				assert.Equal(t, []time.Duration{0, tt.wantWait}, app.Arrivals())
			})
		})
	}
}

func TestWaitPastDeadlineIsNotStarted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		header   http.Header
		waitMin  time.Duration
		wantWait string
	}{
		{name: "Retry-After", header: http.Header{"Retry-After": {"60"}},
			waitMin: time.Second, wantWait: "1m0s"},
		{name: "backoff", waitMin: 10 * time.Second, wantWait: "10s"},
		{name: "wait ending at the deadline", waitMin: 5 * time.Second, wantWait: "5s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				app := newFakeApp(statusAlways(http.StatusServiceUnavailable, tt.header))
				c := newFakeClient(t, app, WithRetryWait(tt.waitMin, 2*time.Minute))
				c.jitter = noJitter
				ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
				defer cancel()
				start := time.Now()

				resp, err := c.Get(ctx, "/x")

				assert.Nil(t, resp)
				assert.Zero(t, time.Since(start), "the call must return at once")
				require.ErrorIs(t, err, context.DeadlineExceeded)
				e := requireError(t, err)
				assert.Equal(t, 1, e.Attempts)
				assert.Equal(t, http.StatusServiceUnavailable, e.StatusCode)
				assert.EqualError(t, err, "client: GET https://notes.example.test/x: "+
					"503 Service Unavailable after 1 attempt: retry: a wait of "+tt.wantWait+
					" would pass the context deadline: context deadline exceeded")
				assert.Len(t, app.Arrivals(), 1)
			})
		})
	}
}

func TestWaitEndsWhenContextIsCanceled(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		app := newFakeApp(statusAlways(http.StatusServiceUnavailable, nil))
		c := newFakeClient(t, app, WithRetryWait(time.Minute, time.Minute))
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(10*time.Second, cancel)
		start := time.Now()

		resp, err := c.Get(ctx, "/x")

		assert.Nil(t, resp)
		assert.Equal(t, 10*time.Second, time.Since(start))
		require.ErrorIs(t, err, context.Canceled)
		assert.EqualError(t, err, "client: GET https://notes.example.test/x: 503 Service "+
			"Unavailable after 1 attempt: retry: context canceled")
	})
}

func TestWaitPastDeadlineAgainstServer(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c := newTestClient(t, srv.URL, WithRetryWait(time.Millisecond, 2*time.Minute))
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	resp, err := c.Get(ctx, "/x")

	assert.Nil(t, resp)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.EqualError(t, err, "client: GET "+srv.URL+"/x: 503 Service Unavailable after 1 "+
		"attempt: retry: a wait of 1m0s would pass the context deadline: context deadline "+
		"exceeded")
	assert.Equal(t, 1, srv.Count())
	assert.NoError(t, ctx.Err(), "the call must return before the deadline")
}

func TestRetryAfterCappedAgainstServer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		retryAfter func() string
	}{
		{name: "seconds", retryAfter: func() string { return "120" }},
		{name: "HTTP date", retryAfter: func() string {
			return time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var attempts atomic.Int64
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				if attempts.Add(1) == 1 {
					w.Header().Set("Retry-After", tt.retryAfter())
					w.WriteHeader(http.StatusTooManyRequests)
				}
			})
			logger, logs := newTestLogger()
			c := newTestClient(t, srv.URL, WithRetryWait(time.Millisecond, 3*time.Millisecond),
				WithLogger(logger))

			resp, err := c.Get(t.Context(), "/x")

			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			readAndClose(t, resp)
			assert.Equal(t, int64(2), attempts.Load())
			lines := logs.Lines(t)
			require.Len(t, lines, 1)
			assert.Equal(t, float64(3*time.Millisecond), lines[0]["wait"])
			assert.Equal(t, float64(http.StatusTooManyRequests), lines[0]["status"])
		})
	}
}

func TestAttemptTimeout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		app := newFakeApp(func(req *http.Request, attempt int) (*http.Response, error) {
			if attempt == 1 {
				<-req.Context().Done()
				return nil, req.Context().Err()
			}
			return fakeResponse(req, http.StatusOK, nil, "ok"), nil
		})
		c := newFakeClient(t, app, WithAttemptTimeout(2*time.Second),
			WithRetryWait(time.Second, time.Second))

		resp, err := c.Get(t.Context(), "/x")

		require.NoError(t, err)
		assert.Equal(t, "ok", readAndClose(t, resp))
		assert.Equal(t, []time.Duration{0, 3 * time.Second}, app.Arrivals())
	})
}

func TestAttemptTimeoutCoversBody(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var attemptCtx context.Context
		app := newFakeApp(func(req *http.Request, attempt int) (*http.Response, error) {
			attemptCtx = req.Context()
			return fakeResponse(req, http.StatusOK, nil, "ok"), nil
		})
		c := newFakeClient(t, app, WithAttemptTimeout(time.Minute))

		resp, err := c.Get(t.Context(), "/x")

		require.NoError(t, err)
		require.NoError(t, attemptCtx.Err(), "the attempt must last while the body is open")
		assert.Equal(t, "ok", readAndClose(t, resp))
		assert.ErrorIs(t, attemptCtx.Err(), context.Canceled, "closing the body ends it")
	})
}

func TestCanceledContextSendsNothing(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusOK, "ok"))
	c := newTestClient(t, srv.URL)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()

	resp, err := c.Get(ctx, "/x")

	assert.Nil(t, resp)
	require.ErrorIs(t, err, context.Canceled)
	assert.EqualError(t, err, "client: GET "+srv.URL+"/x: not sent: context canceled")
	assert.Zero(t, srv.Count())
}
