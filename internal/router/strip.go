package router

import (
	"net/url"
	"strings"
)

// stripDecoded removes prefix, a segment prefix of the cleaned path p, and returns the rest,
// which is "/" when nothing is left. The primary's prefix "/" leaves p as it is.
func stripDecoded(p, prefix string) string {
	if prefix == "/" {
		return p
	}
	rest := p[len(prefix):]
	if rest == "" {
		return "/"
	}
	return rest
}

// escapedCleanPath returns the escaped form of the cleaned path, or "" when it is the default
// encoding or cannot be derived. A path sent with "%2F" keeps it: the escaped path is cleaned
// the same way as the decoded one, and kept only when it still decodes to the cleaned path.
func escapedCleanPath(u *url.URL, cleaned string) string {
	if u.RawPath == "" {
		return ""
	}
	escaped := u.EscapedPath()
	if cleaned != u.Path {
		escaped = cleanPath(escaped)
	}
	if decoded, err := url.PathUnescape(escaped); err != nil || decoded != cleaned {
		return ""
	}
	return escaped
}

// stripEscaped removes the prefix segments from the escaped path and returns the rest when it
// is a valid encoding of rest, the decoded micro-relative path. It returns "" when the escaped
// path is empty, when its leading segments do not decode to the prefix segments (as in
// "/api%2Fx") or when the rest is the default encoding, so that [url.URL.EscapedPath] falls
// back to encoding the decoded path.
func stripEscaped(escaped string, prefix []string, rest string) string {
	if escaped == "" {
		return ""
	}
	for _, segment := range prefix {
		var ok bool
		if escaped, ok = cutSegment(escaped, segment); !ok {
			return ""
		}
	}
	if escaped == "" {
		escaped = "/"
	}
	if decoded, err := url.PathUnescape(escaped); err != nil || decoded != rest {
		return ""
	}
	if escaped == (&url.URL{Path: rest}).EscapedPath() {
		return ""
	}
	return escaped
}

// cutSegment removes the leading "/segment" from the escaped path p when that segment decodes
// to segment.
func cutSegment(p, segment string) (string, bool) {
	if p == "" || p[0] != '/' {
		return "", false
	}
	p = p[1:]
	end := strings.IndexByte(p, '/')
	if end < 0 {
		end = len(p)
	}
	decoded, err := url.PathUnescape(p[:end])
	if err != nil || decoded != segment {
		return "", false
	}
	return p[end:], true
}
