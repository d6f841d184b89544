package spacetest_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacetest"
)

// writeSpacefile writes a Spacefile with a primary "web" and an "api" Micro whose path key is
// pathLine, such as "path: api//", or none when it is empty, and returns its folder.
func writeSpacefile(t *testing.T, pathLine string) string {
	t.Helper()
	dir := t.TempDir()
	data := fmt.Sprintf(`v: 0
micros:
  - name: web
    src: ./web
    engine: static
    serve: dist
    primary: true
  - name: api
    src: ./api
    engine: custom
    run: ./api
    %s
`, pathLine)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Spacefile"), []byte(data), 0o600))
	return dir
}

// TestMicroPathAsInSpacefile checks that Micro.Path routes as the same path written in a
// Spacefile does, which is how spacedev routes it.
func TestMicroPathAsInSpacefile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path   string // as written
		prefix string // the prefix it serves
	}{
		{"", "/api"},
		{"api", "/api"},
		{"/api", "/api"},
		{"api/", "/api"},
		{"/api/", "/api"},
		{"api//", "/api"},
		{"/api//", "/api"},
		{"v1/api//", "/v1/api"},
		{"Docs/", "/Docs"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			pathLine := ""
			if tt.path != "" {
				pathLine = fmt.Sprintf("path: %q", tt.path)
			}
			apps := map[string]*spacetest.App{
				"New": spacetest.New(t,
					spacetest.Micro{Name: "web", Primary: true, Handler: echo("web")},
					spacetest.Micro{Name: "api", Path: tt.path, Handler: echo("api")}),
				"FromSpacefile": spacetest.FromSpacefile(t, writeSpacefile(t, pathLine),
					map[string]http.Handler{"web": echo("web"), "api": echo("api")}),
			}
			for name, app := range apps {
				s := decode(t, get(t, app.Browser(), app, tt.prefix+"/x?q=1"))
				assert.Equal(t, "api", s.Micro, name)
				assert.Equal(t, "/x", s.Path, name)
				assert.Equal(t, []string{tt.prefix}, s.Header["X-Forwarded-Prefix"], name)
				s = decode(t, get(t, app.Browser(), app, tt.prefix))
				assert.Equal(t, "api", s.Micro, name)
				assert.Equal(t, "/", s.Path, name)
				s = decode(t, get(t, app.Browser(), app, tt.prefix+"x"))
				assert.Equal(t, "web", s.Micro, name, "a longer segment is not the prefix")
			}
		})
	}
}

func TestMicroPathProblemsQuoteWrittenPath(t *testing.T) {
	t.Parallel()
	tests := []struct{ path, message string }{
		{"a//b", `invalid Path "a//b": it has an empty segment: remove the doubled "/"`},
		{"api///", `invalid Path "api///": it has an empty segment: remove the doubled "/"`},
		{"x/../y/", `invalid Path "x/../y/": segment ".." is not allowed: use a clean path`},
		{"a b/", `invalid Path "a b/": segment "a b" needs percent-encoding: use ` +
			`characters that a URL path carries as they are, such as letters, digits and -._~`},
		{"/", `Path is "/": only the primary serves "/", so give a prefix such as "/api"`},
		{"//", `Path "//" normalises to "/": only the primary serves "/", so give a prefix ` +
			`such as "/api"`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			msg := fatalOf(t, func(tb testing.TB) {
				spacetest.New(tb,
					spacetest.Micro{Name: "web", Primary: true, Handler: echo("web")},
					spacetest.Micro{Name: "api", Path: tt.path, Handler: echo("api")})
			})
			assert.Equal(t, `spacetest: invalid app: Micro "api": `+tt.message, msg)
		})
	}
}

func TestPrimaryPathProblemQuotesWrittenPath(t *testing.T) {
	t.Parallel()
	msg := fatalOf(t, func(tb testing.TB) {
		spacetest.New(tb, spacetest.Micro{Name: "web", Path: "web/", Handler: echo("web")})
	})
	assert.Equal(t, `spacetest: invalid app: Micro "web": the primary has Path "web/": the `+
		`primary serves "/", so leave Path empty`, msg)
}

// TestFromSpacefilePathWithEmptySegment checks that FromSpacefile rejects, as spacedev's
// router does, a path that the spacefile package accepts but that keeps an empty segment
// after both normalisations.
func TestFromSpacefilePathWithEmptySegment(t *testing.T) {
	t.Parallel()
	dir := writeSpacefile(t, "path: api///")
	msg := fatalOf(t, func(tb testing.TB) {
		spacetest.FromSpacefile(tb, dir,
			map[string]http.Handler{"web": echo("web"), "api": echo("api")})
	})
	assert.Equal(t, `spacetest: invalid app: Micro "api": invalid Path "/api///": it has an `+
		`empty segment: remove the doubled "/"`, msg)
}

func TestMicrosFromSpacefileKeepsTrailingSlash(t *testing.T) {
	t.Parallel()
	micros := spacetest.MicrosFromSpacefile(t, writeSpacefile(t, "path: api//"),
		map[string]http.Handler{"web": echo("web"), "api": echo("api")})
	require.Len(t, micros, 2)
	assert.Equal(t, "/api//", micros[1].Path,
		`the spacefile package gives "/api/", which New must see as written "/api//"`)
}
