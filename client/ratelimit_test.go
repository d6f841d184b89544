package client

import (
	"context"
	"math"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

func TestWithRateLimitValidates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		limit   rate.Limit
		burst   int
		wantErr string
	}{
		{10, 0, "client: WithRateLimit(10, 0): burst must be 1 or more"},
		{10, -1, "client: WithRateLimit(10, -1): burst must be 1 or more"},
		{0, 1, "client: WithRateLimit(0, 1): r must be above zero or rate.Inf"},
		{-1, 1, "client: WithRateLimit(-1, 1): r must be above zero or rate.Inf"},
		{rate.Limit(math.Inf(-1)), 1,
			"client: WithRateLimit(-Inf, 1): r must be above zero or rate.Inf"},
		{rate.Limit(math.NaN()), 1,
			"client: WithRateLimit(NaN, 1): r must be above zero or rate.Inf"},
		{10, 1, ""},
		{0.001, 5, ""},
		{rate.Inf, 1, ""},
	}
	for _, tt := range tests {
		c, err := New(testConfig(t, "http://127.0.0.1:1"), WithRateLimit(tt.limit, tt.burst))
		if tt.wantErr == "" {
			require.NoError(t, err, "rate %v, burst %d", tt.limit, tt.burst)
			require.NotNil(t, c.limiter)
			assert.Equal(t, tt.limit, c.limiter.Limit())
			assert.Equal(t, tt.burst, c.limiter.Burst())
			continue
		}
		assert.Nil(t, c)
		require.EqualError(t, err, tt.wantErr)
	}
}

func TestRateLimitPacesCalls(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		app := newFakeApp(statusAlways(http.StatusOK, nil))
		c := newFakeClient(t, app, WithRateLimit(10, 1))

		for range 3 {
			resp, err := c.Get(t.Context(), "/x")
			require.NoError(t, err)
			readAndClose(t, resp)
		}

		assert.Equal(t, []time.Duration{0, 100 * time.Millisecond, 200 * time.Millisecond},
			app.Arrivals())
	})
}

func TestRateLimitCountsRetries(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		app := newFakeApp(statusAlways(http.StatusServiceUnavailable, nil))
		c := newFakeClient(t, app, WithRateLimit(1, 1), WithRetryMax(2),
			WithRetryWait(time.Millisecond, time.Millisecond))

		resp, err := c.Get(t.Context(), "/x")

		require.NoError(t, err)
		readAndClose(t, resp)
		assert.Equal(t, []time.Duration{0, time.Second, 2 * time.Second}, app.Arrivals())
	})
}

func TestRateLimitPastDeadlineSendsNothing(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		app := newFakeApp(statusAlways(http.StatusOK, nil))
		c := newFakeClient(t, app, WithRateLimit(rate.Every(time.Hour), 1))
		resp, err := c.Get(t.Context(), "/x")
		require.NoError(t, err)
		readAndClose(t, resp)
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		start := time.Now()

		resp, err = c.Get(ctx, "/x?token=secret-value")

		assert.Nil(t, resp)
		assert.Zero(t, time.Since(start), "the call must return at once")
		require.ErrorIs(t, err, context.DeadlineExceeded)
		e := requireError(t, err)
		assert.Zero(t, e.Attempts)
		assert.EqualError(t, err, "client: GET https://notes.example.test/x?token=REDACTED: "+
			"not sent: rate limiter: a wait of 1h0m0s would pass the context deadline: "+
			"context deadline exceeded")
		assert.Len(t, app.Arrivals(), 1)
	})
}

func TestRateLimitReturnsUnusedToken(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		app := newFakeApp(statusAlways(http.StatusOK, nil))
		c := newFakeClient(t, app, WithRateLimit(rate.Every(time.Hour), 1))
		resp, err := c.Get(t.Context(), "/x")
		require.NoError(t, err)
		readAndClose(t, resp)
		short, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		_, err = c.Get(short, "/x")
		require.ErrorIs(t, err, context.DeadlineExceeded)

		resp, err = c.Get(t.Context(), "/x")

		require.NoError(t, err)
		readAndClose(t, resp)
		assert.Equal(t, []time.Duration{0, time.Hour}, app.Arrivals(),
			"the refused call must not push the next token further out")
	})
}

func TestRateLimitPastDeadlineAgainstServer(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusOK, "ok"))
	c := newTestClient(t, srv.URL, WithRateLimit(rate.Every(time.Hour), 1))
	resp, err := c.Get(t.Context(), "/x")
	require.NoError(t, err)
	readAndClose(t, resp)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	resp, err = c.Get(ctx, "/x")

	assert.Nil(t, resp)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.True(t, strings.HasPrefix(err.Error(), "client: GET "+srv.URL+"/x: not sent: "+
		"rate limiter: a wait of "), "error: %v", err)
	assert.Equal(t, 1, srv.Count())
	assert.NoError(t, ctx.Err(), "the call must return before the deadline")
}
