package router

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzStripPrefix checks, for any request target, that the Micro-relative URL is consistent
// (RawPath is empty or a valid encoding of Path) and that the router picks the Micro that owns
// the cleaned path.
func FuzzStripPrefix(f *testing.F) {
	r, err := New(Options{NoAuth: true, Micros: []Micro{
		{Name: "web", Primary: true, Handler: http.NotFoundHandler()},
		{Name: "api", Handler: http.NotFoundHandler()},
		{Name: "v1api", Path: "/v1/api", Handler: http.NotFoundHandler()},
		{Name: "v1", Handler: http.NotFoundHandler()},
	}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, target string) {
		u, err := url.ParseRequestURI(target)
		if err != nil || u.Opaque != "" || u.Host != "" {
			return
		}
		checkMatch(t, r, u)
	})
}

func checkMatch(t *testing.T, r *Router, u *url.URL) {
	got := r.match(u)
	cleaned := cleanPath(u.Path)
	if cleaned == LoginPath || cleaned == LogoutPath {
		if got.micro != nil || got.kind != targetNotFound {
			t.Fatalf("%q: a runtime path without Sessions must get 404", u.String())
		}
		return
	}
	want := referenceMicro(r, cleaned)
	if got.micro != want {
		t.Fatalf("%q: routed to %q, want %q", u.String(), got.micro.Name, want.Name)
	}
	wantPath := cleaned
	switch {
	case want.Primary:
	case cleaned == want.Path:
		wantPath = "/"
	default:
		wantPath = strings.TrimPrefix(cleaned, want.Path)
	}
	if got.path != wantPath {
		t.Fatalf("%q: path %q, want %q", u.String(), got.path, wantPath)
	}
	checkRawPath(t, u, got)
}

// checkRawPath checks that the raw path is empty or decodes to the path, and that a url.URL
// built from both keeps it.
func checkRawPath(t *testing.T, u *url.URL, got target) {
	if got.rawPath == "" {
		return
	}
	decoded, err := url.PathUnescape(got.rawPath)
	if err != nil || decoded != got.path {
		t.Fatalf("%q: raw path %q decodes to %q (%v), want %q", u.String(), got.rawPath,
			decoded, err, got.path)
	}
	out := &url.URL{Path: got.path, RawPath: got.rawPath}
	if out.EscapedPath() != got.rawPath {
		t.Fatalf("%q: raw path %q is not a valid encoding: EscapedPath() = %q", u.String(),
			got.rawPath, out.EscapedPath())
	}
}

// referenceMicro picks the Micro for a cleaned path the slow, obvious way: among the Micros
// whose path equals the cleaned path or is followed in it by "/", the longest.
func referenceMicro(r *Router, cleaned string) *micro {
	best := r.primary
	for _, m := range r.micros {
		if m.Primary {
			continue
		}
		if (cleaned == m.Path || strings.HasPrefix(cleaned, m.Path+"/")) &&
			(best.Primary || len(m.Path) > len(best.Path)) {
			best = m
		}
	}
	return best
}
