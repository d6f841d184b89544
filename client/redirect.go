package client

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// maxRedirects is the number of redirect hops followed when the caller sets no policy, as in
// net/http.
const maxRedirects = 10

// redirectError marks an error from the redirect policy, so that it is not retried.
type redirectError struct {
	err error
}

func (e *redirectError) Error() string { return e.err.Error() }
func (e *redirectError) Unwrap() error { return e.err }

// redirectPolicy returns the CheckRedirect function of the Client's http.Client. It runs
// userPolicy, or net/http's limit of 10 hops when that is nil. Then it compares the hop with
// the original request, not with the hop before it, and removes X-API-Key and Referer when
// their origins differ. net/http (Go 1.26) copies every header of the original request onto
// each hop before it calls this function, and strips only its own sensitive headers, such as
// Authorization.
//
// So a chain that leaves the app's origin and comes back, such as app → other → app, sends the
// key on the last hop again: that hop goes to the origin that the key belongs to. Every hop on
// the other origin goes without it, including a hop from the other origin to itself.
func (c *Client) redirectPolicy(userPolicy func(*http.Request, []*http.Request) error,
) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if err := followPolicy(userPolicy, req, via); err != nil {
			return err
		}
		if !sameOrigin(via[0].URL, req.URL) {
			c.stripCredentials(req, via[0])
		}
		return nil
	}
}

// followPolicy applies userPolicy or the default hop limit, and marks their errors.
// http.ErrUseLastResponse is returned unchanged, because net/http (Go 1.26) compares it with
// ==.
func followPolicy(userPolicy func(*http.Request, []*http.Request) error, req *http.Request,
	via []*http.Request) error {
	if userPolicy == nil {
		if len(via) >= maxRedirects {
			return &redirectError{fmt.Errorf("stopped after %d redirects", maxRedirects)}
		}
		return nil
	}

	err := userPolicy(req, via)
	if err == nil || err == http.ErrUseLastResponse {
		return err
	}
	return &redirectError{err}
}

// stripCredentials removes the key and the Referer, which may carry query values, from a hop
// that leaves the original request's origin, and logs the hop. It removes them in any
// spelling, because a caller who writes to the header map directly can store them under a
// name that Header.Del, which looks up the canonical name only, would miss.
func (c *Client) stripCredentials(hop, original *http.Request) {
	for name := range hop.Header {
		if strings.EqualFold(name, apiKeyHeader) || strings.EqualFold(name, "Referer") {
			delete(hop.Header, name)
		}
	}
	if c.logger == nil {
		return
	}
	c.logger.LogAttrs(hop.Context(), slog.LevelWarn,
		"client: redirect leaves the app's origin; X-API-Key removed",
		slog.String("method", original.Method),
		slog.String("path", redactedPath(original.URL)),
		slog.String("location", redactedURL(hop.URL)))
}

// sameOrigin reports whether a and b have the same scheme, host and port. A missing port is
// the scheme's default.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		effectivePort(a) == effectivePort(b)
}

func effectivePort(u *url.URL) string {
	if port := u.Port(); port != "" {
		return port
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}
