package middleware

import (
	"net/http"
	"net/url"
	"path"
	"strings"
)

// PublicRoutes matches requests against public-route patterns with exactly the rules of
// [Auth], for code such as a router that must know whether a path is public without
// authenticating the request. The zero value matches nothing. It is safe for concurrent use.
type PublicRoutes struct {
	routes publicRoutes
}

// NewPublicRoutes validates and compiles patterns, following the rules of
// [AuthOptions.PublicRoutes]. The error wraps [ErrInvalidOption].
func NewPublicRoutes(patterns []string) (*PublicRoutes, error) {
	routes, err := newPublicRoutes("NewPublicRoutes", patterns)
	if err != nil {
		return nil, err
	}
	return &PublicRoutes{routes: routes}, nil
}

// Match reports whether [Auth] would admit r as public: r's cleaned, decoded path matches a
// pattern, and its escaped path contains no encoded slash. It does not modify r.
func (p *PublicRoutes) Match(r *http.Request) bool {
	if p == nil || r == nil || r.URL == nil {
		return false
	}
	return p.routes.isPublic(cleanRequest(r).URL)
}

// publicRoutes matches a cleaned, decoded path against the public-route patterns of a Micro.
// Patterns follow Space's rules: anchored at both ends, case-sensitive, and `*` matches any
// run of characters, `/` and the empty run included. Patterns without `*` are looked up in a
// map, and the others are matched one after another. So the cost grows linearly with the
// number of patterns, and matching allocates nothing. The zero value matches nothing. It is
// safe for concurrent use once built.
type publicRoutes struct {
	exact     map[string]struct{}
	wildcards []routePattern
	all       bool // some pattern matches every path that starts with "/"
}

// routePattern is a pattern with at least one `*`, split at the stars into a literal prefix,
// literal middle parts and a literal suffix. Each middle part must occur, in order, between the
// prefix and the suffix. Empty middle parts, from "**", are dropped.
type routePattern struct {
	prefix, suffix string
	middle         []string
}

// newPublicRoutes validates and compiles patterns. Each must be non-empty, start with "/" and
// be able to match a cleaned path: a literal "//", "/./" or "/../" never can.
func newPublicRoutes(fn string, patterns []string) (publicRoutes, error) {
	routes := publicRoutes{exact: make(map[string]struct{})}
	for i, pattern := range patterns {
		if err := validatePattern(pattern); err != "" {
			return publicRoutes{}, invalidOption(fn, "PublicRoutes[%d] %q %s", i, pattern, err)
		}
		routes.add(pattern)
	}
	return routes, nil
}

func validatePattern(pattern string) string {
	switch {
	case pattern == "":
		return "is empty: write a path such as \"/public/*\""
	case pattern[0] != '/':
		return "must start with \"/\": patterns are relative to the Micro's root"
	case strings.Contains(pattern, "//"), strings.Contains(pattern, "/./"),
		strings.Contains(pattern, "/../"), strings.HasSuffix(pattern, "/."),
		strings.HasSuffix(pattern, "/.."):
		return "never matches a cleaned path: remove the empty, \".\" and \"..\" segments"
	}
	return ""
}

func (routes *publicRoutes) add(pattern string) {
	if !strings.Contains(pattern, "*") {
		routes.exact[pattern] = struct{}{}
		return
	}
	if strings.Trim(pattern[1:], "*") == "" {
		routes.all = true
	}
	routes.wildcards = append(routes.wildcards, compilePattern(pattern))
}

func compilePattern(pattern string) routePattern {
	parts := strings.Split(pattern, "*")
	p := routePattern{prefix: parts[0], suffix: parts[len(parts)-1]}
	for _, part := range parts[1 : len(parts)-1] {
		if part != "" {
			p.middle = append(p.middle, part)
		}
	}
	return p
}

// match reports whether p matches any pattern.
func (routes *publicRoutes) match(p string) bool {
	if _, ok := routes.exact[p]; ok {
		return true
	}
	for i := range routes.wildcards {
		if routes.wildcards[i].match(p) {
			return true
		}
	}
	return false
}

// match reports whether s matches the pattern. After the prefix and suffix are cut off, taking
// each middle part at its leftmost occurrence is enough: `*` matches anything, so an earlier
// occurrence never leaves less room for the parts after it.
func (p *routePattern) match(s string) bool {
	if len(s) < len(p.prefix)+len(p.suffix) ||
		!strings.HasPrefix(s, p.prefix) || !strings.HasSuffix(s, p.suffix) {
		return false
	}
	rest := s[len(p.prefix) : len(s)-len(p.suffix)]
	for _, part := range p.middle {
		i := strings.Index(rest, part)
		if i < 0 {
			return false
		}
		rest = rest[i+len(part):]
	}
	return true
}

// cleanPath returns the canonical form of an absolute URL path: [path.Clean]'s result, with
// the trailing slash of p kept, as [http.ServeMux] cleans paths. The empty path becomes "/".
// A path that is already clean is returned without allocation.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	cleaned := path.Clean(p)
	if !strings.HasSuffix(p, "/") || cleaned == "/" {
		return cleaned
	}
	if len(p) == len(cleaned)+1 && strings.HasPrefix(p, cleaned) {
		return p
	}
	return cleaned + "/"
}

// cleanRequest returns r with a clean URL path, which is the path that the public-route
// decision and the handler both see. When cleaning changes the path, the request is rewritten
// rather than rejected, as [http.ServeMux] would redirect it. A copy of r gets the cleaned Path,
// and the cleaned RawPath when that still decodes to Path, else no RawPath. RawPath does not
// decode to Path when it hid dot segments, as "%2e%2e" or "..%2f" do. So "/public/..%2fprivate",
// which decodes to "/public/../private", reaches the handler, and is judged, as "/private".
// A path that does not start with "/", such as the "*" of "OPTIONS *", and every CONNECT request
// are left alone and never match a public route.
func cleanRequest(r *http.Request) *http.Request {
	p := r.URL.Path
	if r.Method == http.MethodConnect || (p != "" && p[0] != '/') {
		return r
	}
	cleaned := cleanPath(p)
	if cleaned == p {
		return r
	}

	u := *r.URL
	u.Path = cleaned
	u.RawPath = cleanRawPath(u.RawPath, cleaned)
	r2 := new(http.Request)
	*r2 = *r
	r2.URL = &u
	return r2
}

// cleanRawPath returns the cleaned rawPath when it decodes to the cleaned path, else "".
func cleanRawPath(rawPath, cleaned string) string {
	if rawPath == "" {
		return ""
	}
	rawPath = cleanPath(rawPath)
	if decoded, err := url.PathUnescape(rawPath); err != nil || decoded != cleaned {
		return ""
	}
	return rawPath
}

// isPublic reports whether the request's path matches a public route. The path must be clean
// (see cleanRequest). A path whose escaped form contains an encoded slash is never public: a
// router such as [http.ServeMux] treats "%2F" as part of a segment, so "/public%2Fsecret" could
// reach a private handler while its decoded form "/public/secret" looks public.
func (routes *publicRoutes) isPublic(u *url.URL) bool {
	if u.Path == "" || u.Path[0] != '/' || hasEncodedSlash(u.RawPath) {
		return false
	}
	return routes.match(u.Path)
}

// hasEncodedSlash reports whether the escaped path contains "%2F" in either case.
func hasEncodedSlash(rawPath string) bool {
	for i := 0; i+2 < len(rawPath); i++ {
		if rawPath[i] == '%' && rawPath[i+1] == '2' && (rawPath[i+2]|0x20) == 'f' {
			return true
		}
	}
	return false
}
