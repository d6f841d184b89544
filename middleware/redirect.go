package middleware

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// maxRedirectBytes bounds redirect_uri.
const maxRedirectBytes = 2048

// redirectTarget returns where the login and logout handlers may redirect: "/" when values is
// empty, else its single value, when that is a path on the request's origin or an absolute URL
// whose scheme and host equal the request's. Anything else is an error, so the handlers are no
// open redirect.
func (s *Sessions) redirectTarget(r *http.Request, values []string) (string, error) {
	switch {
	case len(values) == 0 || (len(values) == 1 && values[0] == ""):
		return "/", nil
	case len(values) > 1:
		return "", errors.New("redirect_uri appears more than once: send it once")
	}
	target := values[0]
	if err := checkRedirectBytes(target); err != nil {
		return "", err
	}
	if target[0] == '/' {
		return target, checkRelativeRedirect(target)
	}
	return target, s.checkAbsoluteRedirect(r, target)
}

// checkRedirectBytes rejects spaces, control characters and backslashes anywhere. Browsers drop
// tabs and newlines from URLs and read "\" as "/", so "/\t/evil.example" or "/\evil.example"
// would leave the origin.
func checkRedirectBytes(target string) error {
	if len(target) > maxRedirectBytes {
		return fmt.Errorf("redirect_uri is longer than %d bytes: use a shorter path",
			maxRedirectBytes)
	}
	for i := 0; i < len(target); i++ {
		if c := target[i]; c <= ' ' || c == 0x7f || c == '\\' {
			return errors.New("redirect_uri contains a space, control character or backslash: " +
				"percent-encode it")
		}
	}
	return nil
}

// checkRelativeRedirect accepts a path that starts with a single "/": a browser reads "//host"
// as another origin.
func checkRelativeRedirect(target string) error {
	if strings.HasPrefix(target, "//") {
		return errors.New("redirect_uri must not start with \"//\": use a path on this site " +
			"such as \"/notes\"")
	}
	if _, err := url.Parse(target); err != nil {
		return errors.New("redirect_uri is not a valid path: percent-encode it, or use a " +
			"path such as \"/notes\"")
	}
	return nil
}

// checkAbsoluteRedirect accepts an absolute URL on the request's scheme and host.
func (s *Sessions) checkAbsoluteRedirect(r *http.Request, target string) error {
	scheme := "http"
	if s.isHTTPS(r) {
		scheme = "https"
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" || u.User != nil {
		return fmt.Errorf("redirect_uri must be a path on this site such as \"/notes\", "+
			"or a URL on %s://%s", scheme, r.Host)
	}
	if !strings.EqualFold(u.Scheme, scheme) || !strings.EqualFold(u.Host, r.Host) {
		return fmt.Errorf("redirect_uri is on another origin: only %s://%s is allowed",
			scheme, r.Host)
	}
	return nil
}
