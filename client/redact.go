package client

import (
	"net/url"
	"strings"
)

// redactedValue replaces each query value in errors and log lines.
const redactedValue = "REDACTED"

// redactedURL returns u's origin, path and query with every query value replaced by
// "REDACTED". User information and the fragment are left out.
func redactedURL(u *url.URL) string {
	if u.Host == "" {
		return redactedPath(u)
	}
	return u.Scheme + "://" + u.Host + redactedPath(u)
}

// redactedPath returns u's escaped path and query with every query value replaced by
// "REDACTED". Query names are kept, so "/find?q=x&debug" becomes "/find?q=REDACTED&debug".
func redactedPath(u *url.URL) string {
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery == "" {
		return path
	}
	return path + "?" + redactQuery(u.RawQuery)
}

func redactQuery(query string) string {
	var b strings.Builder
	b.Grow(len(query))
	for i, part := range strings.Split(query, "&") {
		if i > 0 {
			b.WriteByte('&')
		}
		name, _, hasValue := strings.Cut(part, "=")
		b.WriteString(name)
		if hasValue {
			b.WriteString("=" + redactedValue)
		}
	}
	return b.String()
}

// redactError returns err with the URL of a top-level *url.Error redacted. net/http returns
// such errors, and their message contains the full URL, query values included.
func redactError(err error) error {
	ue, ok := err.(*url.Error)
	if !ok {
		return err
	}
	shown := "(invalid URL)"
	if u, perr := url.Parse(ue.URL); perr == nil {
		shown = redactedURL(u)
	}
	return &url.Error{Op: ue.Op, URL: shown, Err: ue.Err}
}
