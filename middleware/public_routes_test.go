package middleware

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRoutePatternMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern string
		path    string
		want    bool
	}{
		{"/public/*", "/public/", true},
		{"/public/*", "/public/a", true},
		{"/public/*", "/public/a/b", true},
		{"/public/*", "/public", false},
		{"/public/*", "/publicity", false},
		{"/public/*", "/public-admin/x", false},
		{"/public/*", "/Public/a", false},
		{"/public/*", "/x/public/a", false},
		{"/new*", "/new", true},
		{"/new*", "/newsletter/2024", true},
		{"/new*", "/ne", false},
		{"/api/*/docs", "/api/v1/docs", true},
		{"/api/*/docs", "/api/v1/v2/docs", true},
		{"/api/*/docs", "/api//docs", true},
		{"/api/*/docs", "/api/docs", false},
		{"/api/*/docs", "/api/v1/docs/x", false},
		{"/*", "/", true},
		{"/*", "/anything/at/all", true},
		{"/a*b*c", "/abc", true},
		{"/a*b*c", "/a-b-b-c", true},
		{"/a*b*c", "/acb", false},
		{"/a*bb*bc", "/abbbc", true},
		{"/a*bb*bc", "/abbc", false},
		{"/a*bb*bc", "/abbxbc", true},
		{"/*.css", "/style.css", true},
		{"/*.css", "/style.css/x", false},
		{"/a**b", "/ab", true},
		{"/ab*ab", "/ab", false},
		{"/ab*ab", "/abab", true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" "+tt.path, func(t *testing.T) {
			t.Parallel()
			p := compilePattern(tt.pattern)
			assert.Equal(t, tt.want, p.match(tt.path))
		})
	}
}

func TestPublicRoutesExactAndWildcard(t *testing.T) {
	t.Parallel()
	routes, err := newPublicRoutes("Auth", []string{"/health", "/static/*"})
	require.NoError(t, err)

	assert.True(t, routes.match("/health"))
	assert.False(t, routes.match("/health/"))
	assert.False(t, routes.match("/healthz"))
	assert.True(t, routes.match("/static/app.js"))
	assert.False(t, routes.match("/"))
	assert.False(t, routes.all)
}

func TestPublicRoutesAll(t *testing.T) {
	t.Parallel()
	for _, pattern := range []string{"/*", "/**"} {
		routes, err := newPublicRoutes("Auth", []string{pattern})
		require.NoError(t, err)
		assert.True(t, routes.all, pattern)
	}
	routes, err := newPublicRoutes("Auth", []string{"/*/x"})
	require.NoError(t, err)
	assert.False(t, routes.all)
}

func TestNewPublicRoutesRejectsBadPatterns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern string
		want    string
	}{
		{"", `middleware: Auth: PublicRoutes[0] "" is empty: write a path such as "/public/*"`},
		{"public/*", `middleware: Auth: PublicRoutes[0] "public/*" must start with "/": ` +
			`patterns are relative to the Micro's root`},
		{"*", `middleware: Auth: PublicRoutes[0] "*" must start with "/": ` +
			`patterns are relative to the Micro's root`},
		{"/a//b", `middleware: Auth: PublicRoutes[0] "/a//b" never matches a cleaned path: ` +
			`remove the empty, "." and ".." segments`},
		{"/a/./b", `middleware: Auth: PublicRoutes[0] "/a/./b" never matches a cleaned path: ` +
			`remove the empty, "." and ".." segments`},
		{"/a/../b", `middleware: Auth: PublicRoutes[0] "/a/../b" never matches a cleaned path: ` +
			`remove the empty, "." and ".." segments`},
		{"/a/..", `middleware: Auth: PublicRoutes[0] "/a/.." never matches a cleaned path: ` +
			`remove the empty, "." and ".." segments`},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			t.Parallel()
			_, err := newPublicRoutes("Auth", []string{tt.pattern})
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			assert.True(t, errors.Is(err, ErrInvalidOption))
		})
	}
}

func TestCleanPath(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", "/"},
		{"/", "/"},
		{"/a/b", "/a/b"},
		{"/a/b/", "/a/b/"},
		{"/a//b", "/a/b"},
		{"/a/./b/", "/a/b/"},
		{"/a/../b", "/b"},
		{"/public/../private", "/private"},
		{"/../../x", "/x"},
		{"/a/b/..", "/a"},
		{"/a/b/../", "/a/"},
		{"//", "/"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, cleanPath(tt.in), "cleanPath(%q)", tt.in)
	}
}

func TestCleanPathOfCleanPathAllocatesNothing(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		cleanPath("/public/assets/")
		cleanPath("/public/assets/app.js")
	})
	assert.Zero(t, allocs)
}

func TestCleanRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		target      string
		wantPath    string
		wantEscaped string
	}{
		{"/public/a", "/public/a", "/public/a"},
		{"/public/../private", "/private", "/private"},
		{"/public/..%2fprivate", "/private", "/private"},
		{"/public/%2e%2e/private", "/private", "/private"},
		{"/x/../files/a%2Fb", "/files/a/b", "/files/a%2Fb"},
		{"/a//b/", "/a/b/", "/a/b/"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodGet, tt.target, nil)
			cleaned := cleanRequest(r)
			assert.Equal(t, tt.wantPath, cleaned.URL.Path)
			assert.Equal(t, tt.wantEscaped, cleaned.URL.EscapedPath())
		})
	}
}

func TestCleanRequestKeepsOriginal(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest(http.MethodGet, "/a/../b", nil)
	cleaned := cleanRequest(r)
	assert.NotSame(t, r, cleaned)
	assert.Equal(t, "/a/../b", r.URL.Path)

	clean := httptest.NewRequest(http.MethodGet, "/b", nil)
	assert.Same(t, clean, cleanRequest(clean))

	star := httptest.NewRequest(http.MethodOptions, "*", nil)
	assert.Equal(t, "*", cleanRequest(star).URL.Path)
}

func TestIsPublicEncodedSlash(t *testing.T) {
	t.Parallel()
	routes, err := newPublicRoutes("Auth", []string{"/public/*"})
	require.NoError(t, err)

	tests := []struct {
		target string
		want   bool
	}{
		{"/public/a/b", true},
		{"/public%2Fa", false},
		{"/public/a%2Fb", false},
		{"/public/a%2fb", false},
		{"/public/a%20b", true},
	}
	for _, tt := range tests {
		r := cleanRequest(httptest.NewRequest(http.MethodGet, tt.target, nil))
		assert.Equal(t, tt.want, routes.isPublic(r.URL), tt.target)
	}
}

func TestPublicRoutesMatchAllocatesNothing(t *testing.T) {
	patterns := manyPatterns(100)
	routes, err := newPublicRoutes("Auth", patterns)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(100, func() {
		routes.match("/section99/assets/app.js")
		routes.match("/not/public")
	})
	assert.Zero(t, allocs)
}

// manyPatterns returns n patterns of the shapes that Spacefiles use, none of which matches
// "/not/public", so that matching it has to try every one.
func manyPatterns(n int) []string {
	patterns := make([]string, n)
	for i := range patterns {
		switch i % 3 {
		case 0:
			patterns[i] = "/section" + itoa(i) + "/assets/*"
		case 1:
			patterns[i] = "/section" + itoa(i) + "/*/docs"
		default:
			patterns[i] = "/section" + itoa(i) + "/health"
		}
	}
	return patterns
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// referencePattern is the obvious implementation of a public-route pattern, which
// FuzzPublicRoutes compares with the compiled matcher: each literal piece quoted, joined by
// ".*", anchored, with "." matching newlines too.
func referencePattern(pattern string) *regexp.Regexp {
	pieces := strings.Split(pattern, "*")
	for i, piece := range pieces {
		pieces[i] = regexp.QuoteMeta(piece)
	}
	return regexp.MustCompile(`(?s)\A` + strings.Join(pieces, ".*") + `\z`)
}

func FuzzPublicRoutes(f *testing.F) {
	f.Add("/public/*", "/public/a/b")
	f.Add("/public/*", "/publicity")
	f.Add("/api/*/docs", "/api/v1/docs")
	f.Add("/a*bb*bc", "/abbbc")
	f.Add("/new*", "/new")
	f.Fuzz(func(t *testing.T, pattern, path string) {
		// regexp reads invalid UTF-8 as U+FFFD, where the matcher compares bytes.
		if !utf8.ValidString(pattern) || !utf8.ValidString(path) {
			t.Skip()
		}
		routes := publicRoutes{exact: make(map[string]struct{})}
		routes.add(pattern)
		want := referencePattern(pattern).MatchString(path)
		require.Equal(t, want, routes.match(path), "pattern %q, path %q", pattern, path)
	})
}

func TestCleanRequestRawPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		target      string
		wantRawPath string
	}{
		{"/x/../files/a%2Fb", "/files/a%2Fb"},
		{"/public/..%2fprivate", ""},
		{"/public/%2e%2e/private", ""},
		{"/x/..%2F../public/a", ""},
	}
	for _, tt := range tests {
		r := cleanRequest(httptest.NewRequest(http.MethodGet, tt.target, nil))
		assert.Equal(t, tt.wantRawPath, r.URL.RawPath, tt.target)
	}
}
