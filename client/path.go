package client

import (
	"fmt"
	"net/url"
	"strings"
)

// resolvePath returns the URL of path on base. path is a path on the app's host with an
// optional query, with or without its leading "/". The error names the path and the fix.
func resolvePath(base *url.URL, path string) (*url.URL, error) {
	ref, err := parsePath(path)
	if err != nil {
		return nil, err
	}
	ref.Scheme = base.Scheme
	ref.Host = base.Host
	return ref, nil
}

// parsePath parses path as a relative reference with a leading "/", and rejects everything
// but a path and a query.
func parsePath(path string) (*url.URL, error) {
	if path == "" {
		return nil, fmt.Errorf(`path is empty: pass a path on the app's host, such as "/" ` +
			`or "/api/notes"`)
	}
	if strings.HasPrefix(path, "//") {
		return nil, fmt.Errorf(`path %q is a scheme-relative URL, which names another host: `+
			`pass a path with a single leading "/"`, path)
	}

	escaped := escapeInvalidBytes(path)
	ref, err := url.Parse(escaped)
	if err == nil && !strings.HasPrefix(escaped, "/") {
		if err = checkRelative(path, ref); err != nil {
			return nil, err
		}
		// The "/" is added before parsing, so that the escaped and the decoded path agree.
		// Adding it to the decoded path alone would turn "%2F%2Fhost" into "//host".
		ref, err = url.Parse("/" + escaped)
	}
	if err != nil {
		return nil, fmt.Errorf("path %q is not a valid path: %v: escape it with url.PathEscape",
			path, unwrapURLError(err))
	}
	if err := checkRelative(path, ref); err != nil {
		return nil, err
	}
	return ref, checkSegments(path, ref)
}

// checkRelative rejects a parsed path that has a scheme, a host or a fragment.
func checkRelative(path string, ref *url.URL) error {
	switch {
	case ref.Scheme != "" || ref.Host != "" || ref.Opaque != "":
		return fmt.Errorf(`path %q is an absolute URL: pass a path on the app's host, `+
			`such as "/api/notes"`, path)
	case ref.Fragment != "" || strings.Contains(path, "#"):
		return fmt.Errorf("path %q contains a fragment, which is never sent: remove the "+
			"part from '#'", path)
	}
	return nil
}

// checkSegments rejects a parsed path with a ".." segment or an empty segment.
func checkSegments(path string, ref *url.URL) error {
	switch {
	case hasDotDotSegment(ref.Path):
		return fmt.Errorf(`path %q contains a ".." segment, which could leave the Micro's `+
			`prefix: pass the path without it`, path)
	case strings.Contains(ref.EscapedPath(), "//"):
		return fmt.Errorf(`path %q contains an empty segment "//": remove the extra "/"`, path)
	}
	return nil
}

// escapeInvalidBytes percent-encodes the bytes of path that a URL may not contain unescaped,
// such as a space or a control character, and keeps the rest, escapes such as "%2F" included.
// url.Parse keeps the escaped form of a path only when it is valid, so without this step
// "/a%2Fb c" would be sent as "/a/b%20c", with one segment more. In the query, such bytes
// would break the request line.
func escapeInvalidBytes(path string) string {
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		if isURLByte(c) {
			if b.Len() > 0 {
				b.WriteByte(c)
			}
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(path) + 8)
			b.WriteString(path[:i])
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	if b.Len() == 0 {
		return path
	}
	return b.String()
}

// isURLByte reports whether c may appear unescaped in a path or query: the RFC 3986 pchar
// set, "/" and "?", and also "%" and "#", which url.Parse reads as an escape and a fragment.
func isURLByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/?%#", c) >= 0
}

// hasDotDotSegment reports whether the decoded path has a ".." segment. It splits on "\" as
// well as "/", because some servers treat both as separators. The path is decoded, so "%2e%2e"
// and "a%2F..%2Fb" count.
func hasDotDotSegment(path string) bool {
	for path != "" {
		segment := path
		if i := strings.IndexAny(path, `/\`); i >= 0 {
			segment, path = path[:i], path[i+1:]
		} else {
			path = ""
		}
		if segment == ".." {
			return true
		}
	}
	return false
}

// unwrapURLError returns the cause of a *url.Error, whose own message repeats the input.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
