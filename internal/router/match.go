package router

import (
	"net/url"
	"path"
	"strings"
)

// targetKind is the kind of handler that serves a request.
type targetKind int

const (
	targetMicro    targetKind = iota // the Micro's authentication and handler
	targetLogin                      // Sessions.LoginHandler
	targetLogout                     // Sessions.LogoutHandler
	targetNotFound                   // a runtime path the client may not reach: 404
)

// target is the outcome of matching a request: what serves it, and the path the Micro receives.
type target struct {
	kind  targetKind
	micro *micro // the Micro the path belongs to; nil for the login and logout endpoints
	// path is the cleaned, decoded, micro-relative path. rawPath is its escaped form when
	// that differs from the default encoding of path, as in [url.URL].
	path    string
	rawPath string
}

// match finds the target of a request URL. It routes on the cleaned, decoded path, on whole
// segments, case-sensitively and longest prefix first, and it strips the prefix from the
// decoded and the escaped path alike.
func (r *Router) match(u *url.URL) target {
	cleaned := cleanPath(u.Path)
	switch cleaned {
	case LoginPath:
		return r.runtimeTarget(targetLogin, u, cleaned)
	case LogoutPath:
		return r.runtimeTarget(targetLogout, u, cleaned)
	}
	m := r.find(cleaned)
	t := target{kind: targetMicro, micro: m, path: stripDecoded(cleaned, m.Path)}
	t.rawPath = stripEscaped(escapedCleanPath(u, cleaned), m.segments, t.path)
	if isActionsPath(t.path) && !m.probe.isPublic(t.path, t.rawPath) {
		t.kind = targetNotFound
	}
	return t
}

// runtimeTarget is the target of an endpoint the router serves itself. Without Sessions the
// login and logout endpoints do not exist, and the path gets 404.
func (r *Router) runtimeTarget(kind targetKind, u *url.URL, cleaned string) target {
	if r.sessions == nil {
		kind = targetNotFound
	}
	return target{kind: kind, path: cleaned, rawPath: escapedCleanPath(u, cleaned)}
}

// find returns the Micro whose path is the longest segment prefix of p, or the primary.
func (r *Router) find(p string) *micro {
	for _, m := range r.byPathLength {
		if hasSegmentPrefix(p, m.Path) {
			return m
		}
	}
	return r.primary
}

// hasSegmentPrefix reports whether prefix is p or a run of whole leading segments of p, so
// "/api" is a prefix of "/api" and "/api/x" but not of "/apiary".
func hasSegmentPrefix(p, prefix string) bool {
	if !strings.HasPrefix(p, prefix) {
		return false
	}
	return len(p) == len(prefix) || p[len(prefix)] == '/'
}

// isActionsPath reports whether the micro-relative path p is the scheduled-actions endpoint or
// below it.
func isActionsPath(p string) bool {
	return hasSegmentPrefix(p, ActionsPath)
}

// cleanPath returns the canonical form of p as [net/http.ServeMux] computes it: rooted, with
// "." and ".." segments resolved and doubled slashes removed, keeping one trailing slash.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	cleaned := path.Clean(p)
	if p[len(p)-1] == '/' && cleaned != "/" {
		cleaned += "/"
	}
	return cleaned
}
