package middleware

import (
	"container/list"
	"crypto/sha256"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultMaxClients is the default of [RateLimitOptions.MaxClients].
const DefaultMaxClients = 10_000

// RateLimitOptions configures [RateLimit].
type RateLimitOptions struct {
	// Rate is how many requests a second each client may make on average. Required: more than
	// zero.
	Rate rate.Limit

	// Burst is how many requests a client may make at once. Required: at least 1.
	Burst int

	// MaxClients bounds how many clients are tracked. When a new client arrives and the limit
	// is reached, the least recently seen client is forgotten. Default [DefaultMaxClients].
	MaxClients int

	// IdleTimeout is how long a client is tracked after its last request. It must be at least
	// the time a client's burst takes to refill (Burst / Rate), since forgetting a client
	// refills its burst at once. Default: that time, or one minute when that is shorter.
	IdleTimeout time.Duration

	// ClientKey returns the key that identifies a request's client. Requests with the same key
	// share one limit. Nil, or an empty result, means the default: see [RateLimit].
	ClientKey func(r *http.Request) string

	// Logger receives one line per rejected request, with its method, path, request ID and
	// wait, at [slog.LevelInfo] and at most 10 lines a second. Nil means no logs.
	Logger *slog.Logger
}

// RateLimit returns middleware that limits each client to opts.Rate requests a second with
// bursts of opts.Burst, using a token bucket from golang.org/x/time/rate. A request over the
// limit gets 429 with a Retry-After header in whole seconds and a JSON body.
//
// By default a client is the key that [Auth] admitted the request with, as found by
// [AuthInfoFrom]: an API key, an app key or a session's subject. Requests that Auth did not
// admit by key or session, including every request when RateLimit runs before Auth, are keyed
// by remote IP address, and IPv6 addresses by their /64 network. Placing RateLimit after Auth
// therefore gives each key its own limit, while made-up keys cannot escape the limit of their
// address. Keys are stored as SHA-256 sums, never as sent.
//
// NOTE: behind a proxy, every request has the proxy's remote address, so clients without a key
// share one limit unless ClientKey reads the client's address from a header that the proxy
// sets.
//
// Memory is bounded by MaxClients, and clients idle for IdleTimeout are dropped. The error
// wraps [ErrInvalidOption] when an option is invalid. The middleware is safe for concurrent
// use, and all clients share one lock. Applied to a nil handler, it wraps
// [http.DefaultServeMux].
func RateLimit(opts RateLimitOptions) (func(http.Handler) http.Handler, error) {
	limiters, err := newClientLimiters(opts)
	if err != nil {
		return nil, err
	}
	rl := &rateLimiter{
		limiters:  limiters,
		clientKey: opts.ClientKey,
		log:       newThrottledLogger(opts.Logger),
	}
	return rl.wrap, nil
}

type rateLimiter struct {
	limiters  *clientLimiters
	clientKey func(r *http.Request) string
	log       *throttledLogger
}

func (rl *rateLimiter) wrap(next http.Handler) http.Handler {
	if next == nil {
		next = http.DefaultServeMux
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wait, ok := rl.limiters.allow(rl.key(r), time.Now())
		if !ok {
			rl.reject(w, r, wait)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// key returns the SHA-256 sum that identifies r's client. The hashed text starts with the kind
// of key, so a key and an address with the same text get different limits.
func (rl *rateLimiter) key(r *http.Request) [sha256.Size]byte {
	if rl.clientKey != nil {
		if key := rl.clientKey(r); key != "" {
			return sha256.Sum256([]byte("custom\x00" + key))
		}
	}
	if info, ok := AuthInfoFrom(r.Context()); ok {
		switch info.Method {
		case MethodAPIKey:
			return keyOfHeader("api_key\x00", r.Header[headerAPIKey])
		case MethodAppKey:
			return keyOfHeader("app_key\x00", r.Header[headerAppKey])
		case MethodSession:
			return sha256.Sum256([]byte("session\x00" + info.Session.Subject))
		}
	}
	return sha256.Sum256([]byte("ip\x00" + remoteNetwork(r.RemoteAddr)))
}

// keyOfHeader hashes the single value that [Auth] accepted.
func keyOfHeader(kind string, values []string) [sha256.Size]byte {
	if len(values) != 1 {
		return sha256.Sum256([]byte(kind))
	}
	return sha256.Sum256([]byte(kind + values[0]))
}

// remoteNetwork returns the IP address of remoteAddr ("host:port"), or its /64 network for an
// IPv6 address, since one IPv6 client often controls a whole /64. An address that does not
// parse is returned as it is.
func remoteNetwork(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr = addr.Unmap()
	if addr.Is4() {
		return addr.String()
	}
	prefix, _ := addr.WithZone("").Prefix(64)
	return prefix.String()
}

var bodyRateLimited = encodeErrorBody("rate_limited",
	"too many requests: wait for the time in Retry-After, then retry")

func (rl *rateLimiter) reject(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	seconds := int64(math.Ceil(wait.Seconds()))
	if seconds < 1 {
		seconds = 1
	}
	if rl.log != nil {
		id, _ := RequestIDFrom(r.Context())
		rl.log.log(r.Context(), slog.LevelInfo, "request rate-limited",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("request_id", id), slog.Int64("retry_after_seconds", seconds))
	}
	w.Header().Set("Retry-After", strconv.FormatInt(seconds, 10))
	writeJSONError(w, r, http.StatusTooManyRequests, bodyRateLimited)
}

// clientLimiters stores one [rate.Limiter] per client in a map and a list ordered by last use,
// most recent first, so that both the idle clients and the least recently seen one are at the
// back. It is safe for concurrent use.
type clientLimiters struct {
	rate       rate.Limit
	burst      int
	maxClients int
	idle       time.Duration

	mu      sync.Mutex
	clients map[[sha256.Size]byte]*list.Element
	order   *list.List // of *clientLimiter
}

type clientLimiter struct {
	key      [sha256.Size]byte
	limiter  *rate.Limiter
	lastSeen time.Time
}

func newClientLimiters(opts RateLimitOptions) (*clientLimiters, error) {
	if err := validateRateLimitOptions(opts); err != nil {
		return nil, err
	}
	c := &clientLimiters{
		rate:       opts.Rate,
		burst:      opts.Burst,
		maxClients: opts.MaxClients,
		idle:       opts.IdleTimeout,
		clients:    make(map[[sha256.Size]byte]*list.Element),
		order:      list.New(),
	}
	if c.maxClients == 0 {
		c.maxClients = DefaultMaxClients
	}
	if c.idle == 0 {
		c.idle = max(refillTime(opts.Rate, opts.Burst), time.Minute)
	}
	return c, nil
}

// refillTime returns how long an empty bucket takes to fill, rounded up to the second.
func refillTime(r rate.Limit, burst int) time.Duration {
	seconds := math.Ceil(float64(burst) / float64(r))
	if seconds > float64(math.MaxInt64/int64(time.Second)) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(seconds) * time.Second
}

func validateRateLimitOptions(opts RateLimitOptions) error {
	switch {
	case !(opts.Rate > 0) || opts.Rate == rate.Inf:
		return invalidOption("RateLimit", "Rate %v must be a finite number of requests a "+
			"second above zero", float64(opts.Rate))
	case opts.Burst < 1:
		return invalidOption("RateLimit", "Burst %d must be 1 or more", opts.Burst)
	case opts.MaxClients < 0:
		return invalidOption("RateLimit", "MaxClients %d is negative: use a positive number, "+
			"or 0 for the default of %d", opts.MaxClients, DefaultMaxClients)
	case opts.IdleTimeout < 0:
		return invalidOption("RateLimit", "IdleTimeout %v is negative: use a positive "+
			"duration, or 0 for the default", opts.IdleTimeout)
	case opts.IdleTimeout > 0 && opts.IdleTimeout < refillTime(opts.Rate, opts.Burst):
		return invalidOption("RateLimit", "IdleTimeout %v is shorter than the %v that a burst "+
			"takes to refill: use %v or more, or 0 for the default",
			opts.IdleTimeout, refillTime(opts.Rate, opts.Burst), refillTime(opts.Rate, opts.Burst))
	}
	return nil
}

// allow takes a token from the client's bucket, or returns how long until one is available.
func (c *clientLimiters) allow(key [sha256.Size]byte, now time.Time) (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropIdle(now)
	client := c.touch(key, now)
	if client.limiter.AllowN(now, 1) {
		return 0, true
	}
	missing := 1 - client.limiter.TokensAt(now)
	return time.Duration(missing / float64(c.rate) * float64(time.Second)), false
}

// dropIdle removes the clients whose last request is IdleTimeout or more ago.
func (c *clientLimiters) dropIdle(now time.Time) {
	for back := c.order.Back(); back != nil; back = c.order.Back() {
		client := back.Value.(*clientLimiter)
		if now.Sub(client.lastSeen) < c.idle {
			return
		}
		c.remove(back)
	}
}

// touch returns the client's limiter, adding one when the client is new, and marks it used.
func (c *clientLimiters) touch(key [sha256.Size]byte, now time.Time) *clientLimiter {
	if element, ok := c.clients[key]; ok {
		c.order.MoveToFront(element)
		client := element.Value.(*clientLimiter)
		client.lastSeen = now
		return client
	}
	if c.order.Len() >= c.maxClients {
		c.remove(c.order.Back())
	}
	client := &clientLimiter{key: key, limiter: rate.NewLimiter(c.rate, c.burst), lastSeen: now}
	c.clients[key] = c.order.PushFront(client)
	return client
}

func (c *clientLimiters) remove(element *list.Element) {
	c.order.Remove(element)
	delete(c.clients, element.Value.(*clientLimiter).key)
}

// len returns the number of tracked clients.
func (c *clientLimiters) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
