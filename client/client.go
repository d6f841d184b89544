package client

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/requestid"
)

// apiKeyHeader is the header that carries DETA_API_KEY between Micros.
const apiKeyHeader = "X-API-Key"

// Header names in the canonical form that http.Header stores. Indexing the header map with
// them saves the canonical copy that Header.Get, Set and Del allocate for other spellings on
// every call.
var (
	canonicalAPIKeyHeader    = http.CanonicalHeaderKey(apiKeyHeader)
	canonicalRequestIDHeader = http.CanonicalHeaderKey(requestid.Header)
)

// Client calls the Micros of one app on the app's own origin. Build it with [New] or
// [FromEnv], because the zero value is not usable. A Client is safe for concurrent use by
// multiple goroutines, and should be built once and shared, because it holds a pool of
// connections.
type Client struct {
	base *url.URL

	// key returns the API key. It is a function because fmt prints struct fields, even
	// unexported ones, and a function prints as an address under every verb.
	key func() envconfig.Secret

	hc             *http.Client
	retryMax       int
	waitMin        time.Duration
	waitMax        time.Duration
	attemptTimeout time.Duration
	limiter        *rate.Limiter
	logger         *slog.Logger

	// jitter returns a random number in [0, n). Tests replace it to make waits predictable.
	jitter func(n int64) int64
}

// New returns a Client for the app that cfg describes. cfg must pass [envconfig.Config.Validate]:
// BaseURL is the origin that every request goes to, and APIKey, which must not be empty, is
// sent as X-API-Key. The Client copies what it needs from cfg. Every invalid option is reported
// in the error.
func New(cfg envconfig.Config, opts ...Option) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("client: New: %w", err)
	}
	if err := checkKey(cfg.APIKey); err != nil {
		return nil, err
	}
	s, err := applyOptions(opts)
	if err != nil {
		return nil, err
	}

	base := *cfg.BaseURL
	key := cfg.APIKey
	c := &Client{
		base:           &base,
		key:            func() envconfig.Secret { return key },
		retryMax:       s.retryMax,
		waitMin:        s.waitMin,
		waitMax:        s.waitMax,
		attemptTimeout: s.attemptTimeout,
		limiter:        s.limiter,
		logger:         s.logger,
		jitter:         rand.Int64N,
	}
	c.hc = c.newHTTPClient(s.httpClient)
	return c, nil
}

// FromEnv returns a Client for the Micro's own environment, read by [envconfig.Load]. It is
// [New] with the configuration that DETA_SPACE_APP_HOSTNAME, DETA_API_KEY and the other
// variables describe.
func FromEnv(opts ...Option) (*Client, error) {
	cfg, err := envconfig.Load()
	if err != nil {
		return nil, fmt.Errorf("client: FromEnv: %w", err)
	}
	return New(cfg, opts...)
}

// checkKey rejects a key that net/http would refuse to send as a header value. The error does
// not show the key.
func checkKey(key envconfig.Secret) error {
	if strings.ContainsFunc(key.Reveal(), func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return fmt.Errorf("client: New: APIKey contains a control character, such as a " +
			"line break: set it to the key alone")
	}
	return nil
}

// newHTTPClient returns the http.Client that sends each attempt: user's Transport, Jar and
// Timeout when user is set, and always the Client's own redirect policy.
func (c *Client) newHTTPClient(user *http.Client) *http.Client {
	if user == nil {
		return &http.Client{Transport: newTransport(), CheckRedirect: c.redirectPolicy(nil)}
	}
	return &http.Client{
		Transport:     user.Transport,
		Jar:           user.Jar,
		Timeout:       user.Timeout,
		CheckRedirect: c.redirectPolicy(user.CheckRedirect),
	}
}

// BaseURL returns a copy of the origin that the Client sends requests to, such as
// "https://notes-1-a1b2.deta.app".
func (c *Client) BaseURL() *url.URL {
	u := *c.base
	return &u
}

// CloseIdleConnections closes the idle connections of the Client's transport. With
// [WithHTTPClient], that is the transport of the given client, shared with its other users.
func (c *Client) CloseIdleConnections() {
	c.hc.CloseIdleConnections()
}

// StandardClient returns an [http.Client] whose requests go through c: they must use the app's
// origin, and they get the key, the retries, the rate limit and the redirect policy of c. Use
// it with libraries that take an *http.Client. Each call returns a new http.Client, so changing
// its fields does not affect c or other callers.
//
// NOTE: net/http wraps the errors of the returned client in a *url.Error that prints the full
// URL, query values included, so only errors from c's own methods are redacted.
func (c *Client) StandardClient() *http.Client {
	return &http.Client{
		Transport: standardTransport{c: c},
		// c has already followed redirects, so a 3xx that reaches this client is final.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// standardTransport adapts a Client to [http.RoundTripper] for StandardClient.
type standardTransport struct {
	c *Client
}

// RoundTrip sends req with the Client's Do.
func (t standardTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.c.Do(req)
}
