package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/spacekit/spacekit/middleware"
)

func okHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
}

func rateLimited(t *testing.T, opts middleware.RateLimitOptions) http.Handler {
	t.Helper()
	limit, err := middleware.RateLimit(opts)
	require.NoError(t, err)
	return limit(okHandler())
}

func fromAddr(addr string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = addr
	return r
}

func TestRateLimitBurstThen429(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := rateLimited(t, middleware.RateLimitOptions{Rate: 1, Burst: 3})

		for i := range 3 {
			assert.Equal(t, http.StatusOK, serve(h, fromAddr("192.0.2.1:1000")).Code, i)
		}
		w := serve(h, fromAddr("192.0.2.1:1001"))
		assert.Equal(t, http.StatusTooManyRequests, w.Code)
		assert.Equal(t, "1", w.Header().Get("Retry-After"))
		assert.Equal(t, map[string]string{"error": "rate_limited", "message": "too many " +
			"requests: wait for the time in Retry-After, then retry"}, errorJSON(t, w.Body.Bytes()))

		time.Sleep(time.Second)
		assert.Equal(t, http.StatusOK, serve(h, fromAddr("192.0.2.1:1000")).Code)
		assert.Equal(t, http.StatusTooManyRequests, serve(h, fromAddr("192.0.2.1:1000")).Code)
	})
}

func TestRateLimitRetryAfterRoundsUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := rateLimited(t, middleware.RateLimitOptions{Rate: 0.1, Burst: 1})
		serve(h, fromAddr("192.0.2.1:1"))
		time.Sleep(2500 * time.Millisecond)

		w := serve(h, fromAddr("192.0.2.1:1"))
		assert.Equal(t, http.StatusTooManyRequests, w.Code)
		// 7.5 seconds remain until the next token.
		assert.Equal(t, "8", w.Header().Get("Retry-After"))
	})
}

func TestRateLimitPerClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := rateLimited(t, middleware.RateLimitOptions{Rate: 1, Burst: 1})

		tests := []struct {
			addr string
			want int
		}{
			{"192.0.2.1:1000", http.StatusOK},
			{"192.0.2.1:2000", http.StatusTooManyRequests}, // same IP, other port
			{"192.0.2.2:1000", http.StatusOK},
			{"[2001:db8:1:2::1]:1000", http.StatusOK},
			{"[2001:db8:1:2::ffff]:1000", http.StatusTooManyRequests}, // same /64
			{"[2001:db8:1:3::1]:1000", http.StatusOK},
			{"[::ffff:192.0.2.3]:1000", http.StatusOK},
			{"192.0.2.3:1000", http.StatusTooManyRequests}, // same address, IPv4-mapped above
			{"not an address", http.StatusOK},
			{"not an address", http.StatusTooManyRequests},
		}
		for _, tt := range tests {
			assert.Equal(t, tt.want, serve(h, fromAddr(tt.addr)).Code, tt.addr)
		}
	})
}

func TestRateLimitByAdmittedKey(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		limit, err := middleware.RateLimit(middleware.RateLimitOptions{Rate: 1, Burst: 1})
		require.NoError(t, err)
		auth, err := middleware.Auth(middleware.AuthOptions{APIKeys: apiKeys, AppKeys: appKeys,
			PublicRoutes: []string{"/public/*"}})
		require.NoError(t, err)
		h := middleware.Chain(auth, limit).Then(okHandler())

		send := func(path, header, key string) int {
			r := fromAddr("192.0.2.1:1000")
			r.URL.Path = path
			if header != "" {
				r.Header.Set(header, key)
			}
			return serve(h, r).Code
		}
		assert.Equal(t, http.StatusOK, send("/", "X-API-Key", "api-key-old"))
		assert.Equal(t, http.StatusTooManyRequests, send("/", "X-API-Key", "api-key-old"))
		assert.Equal(t, http.StatusOK, send("/", "X-API-Key", "api-key-next"))
		assert.Equal(t, http.StatusOK, send("/", "X-Space-App-Key", "app-key-one"))
		assert.Equal(t, http.StatusTooManyRequests, send("/", "X-Space-App-Key", "app-key-one"))
		// A public request with a made-up key is limited by its address.
		assert.Equal(t, http.StatusOK, send("/public/a", "X-API-Key", "made-up-1"))
		assert.Equal(t, http.StatusTooManyRequests, send("/public/a", "X-API-Key", "made-up-2"))
	})
}

func TestRateLimitBySessionSubject(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sessions := newSessions(t, time.Now)
		alice, err := sessions.NewCookie("alice", false)
		require.NoError(t, err)
		bob, err := sessions.NewCookie("bob", false)
		require.NoError(t, err)
		limit, err := middleware.RateLimit(middleware.RateLimitOptions{Rate: 1, Burst: 1})
		require.NoError(t, err)
		auth, err := middleware.Auth(middleware.AuthOptions{Sessions: sessions})
		require.NoError(t, err)
		h := middleware.Chain(auth, limit).Then(okHandler())

		send := func(c *http.Cookie) int {
			r := fromAddr("192.0.2.1:1000")
			r.AddCookie(c)
			return serve(h, r).Code
		}
		assert.Equal(t, http.StatusOK, send(alice))
		assert.Equal(t, http.StatusTooManyRequests, send(alice))
		assert.Equal(t, http.StatusOK, send(bob))
	})
}

func TestRateLimitCustomClientKey(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := rateLimited(t, middleware.RateLimitOptions{Rate: 1, Burst: 1,
			ClientKey: func(r *http.Request) string { return r.Header.Get("X-Client") }})

		send := func(client string) int {
			r := fromAddr("192.0.2.1:1000")
			r.Header.Set("X-Client", client)
			return serve(h, r).Code
		}
		assert.Equal(t, http.StatusOK, send("a"))
		assert.Equal(t, http.StatusTooManyRequests, send("a"))
		assert.Equal(t, http.StatusOK, send("b"))
		// An empty key falls back to the remote address.
		assert.Equal(t, http.StatusOK, send(""))
		assert.Equal(t, http.StatusTooManyRequests, send(""))
	})
}

func TestRateLimitMaxClientsEvictsLeastRecent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := rateLimited(t, middleware.RateLimitOptions{Rate: 0.001, Burst: 1, MaxClients: 2})

		assert.Equal(t, http.StatusOK, serve(h, fromAddr("192.0.2.1:1")).Code)
		assert.Equal(t, http.StatusOK, serve(h, fromAddr("192.0.2.2:1")).Code)
		assert.Equal(t, http.StatusTooManyRequests, serve(h, fromAddr("192.0.2.1:1")).Code)
		// A third client evicts 192.0.2.2, the least recently seen.
		assert.Equal(t, http.StatusOK, serve(h, fromAddr("192.0.2.3:1")).Code)
		assert.Equal(t, http.StatusTooManyRequests, serve(h, fromAddr("192.0.2.1:1")).Code)
		assert.Equal(t, http.StatusOK, serve(h, fromAddr("192.0.2.2:1")).Code)
	})
}

func TestRateLimitIdleClientsAreDropped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// A burst of 2 at 1 request a second refills in 2s; the client is kept for 10s.
		h := rateLimited(t, middleware.RateLimitOptions{Rate: 1, Burst: 2,
			IdleTimeout: 10 * time.Second, MaxClients: 1})

		serve(h, fromAddr("192.0.2.1:1"))
		serve(h, fromAddr("192.0.2.1:1"))
		assert.Equal(t, http.StatusTooManyRequests, serve(h, fromAddr("192.0.2.1:1")).Code)

		time.Sleep(10 * time.Second)
		for i := range 2 {
			assert.Equal(t, http.StatusOK, serve(h, fromAddr("192.0.2.1:1")).Code, i)
		}
	})
}

func TestRateLimitLogs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		logger, logs := newLogger()
		h := middleware.Chain(middleware.RequestID).Then(rateLimited(t,
			middleware.RateLimitOptions{Rate: 1, Burst: 1, Logger: logger}))
		r := fromAddr("192.0.2.1:1")
		r.Header.Set("X-Request-ID", "req-3")
		serve(h, r)
		serve(h, r)

		records := logs.lines(t)
		require.Len(t, records, 1)
		assert.Equal(t, "request rate-limited", records[0]["msg"])
		assert.Equal(t, "req-3", records[0]["request_id"])
		assert.Equal(t, float64(1), records[0]["retry_after_seconds"])
	})
}

func TestRateLimitOptionsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts middleware.RateLimitOptions
		want string
	}{
		{"zero rate", middleware.RateLimitOptions{Burst: 1},
			"middleware: RateLimit: Rate 0 must be a finite number of requests a second " +
				"above zero"},
		{"infinite rate", middleware.RateLimitOptions{Rate: rate.Inf, Burst: 1},
			"middleware: RateLimit: Rate 1.7976931348623157e+308 must be a finite number of " +
				"requests a second above zero"},
		{"zero burst", middleware.RateLimitOptions{Rate: 1},
			"middleware: RateLimit: Burst 0 must be 1 or more"},
		{"negative max clients", middleware.RateLimitOptions{Rate: 1, Burst: 1, MaxClients: -1},
			"middleware: RateLimit: MaxClients -1 is negative: use a positive number, or 0 " +
				"for the default of 10000"},
		{"negative idle timeout", middleware.RateLimitOptions{Rate: 1, Burst: 1,
			IdleTimeout: -time.Second}, "middleware: RateLimit: IdleTimeout -1s is negative: use a positive duration, " +
			"or 0 for the default"},
		{"idle timeout below refill", middleware.RateLimitOptions{Rate: 1, Burst: 30,
			IdleTimeout: 10 * time.Second}, "middleware: RateLimit: IdleTimeout 10s is shorter " +
			"than the 30s that a burst takes to refill: use 30s or more, or 0 for the default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			limit, err := middleware.RateLimit(tt.opts)
			require.Error(t, err)
			assert.Nil(t, limit)
			assert.Equal(t, tt.want, err.Error())
			assert.ErrorIs(t, err, middleware.ErrInvalidOption)
		})
	}
}

func TestRateLimitHeadHasNoBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := rateLimited(t, middleware.RateLimitOptions{Rate: 1, Burst: 1})
		serve(h, fromAddr("192.0.2.1:1"))
		r := fromAddr("192.0.2.1:1")
		r.Method = http.MethodHead
		w := serve(h, r)
		assert.Equal(t, http.StatusTooManyRequests, w.Code)
		assert.Empty(t, w.Body.Bytes())
		_, err := strconv.Atoi(w.Header().Get("Retry-After"))
		assert.NoError(t, err)
	})
}

func TestRateLimitConcurrentRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := rateLimited(t, middleware.RateLimitOptions{Rate: 0.001, Burst: 100})

		var admitted atomic.Int64
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 50 {
					if serve(h, fromAddr("192.0.2.1:1")).Code == http.StatusOK {
						admitted.Add(1)
					}
				}
			})
		}
		wg.Wait()
		assert.Equal(t, int64(100), admitted.Load())
	})
}
