package spacetest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacetest"
)

func notesHandlers() map[string]http.Handler {
	return map[string]http.Handler{"web": echo("web"), "api": echo("api"),
		"worker": echo("worker")}
}

func TestFromSpacefile(t *testing.T) {
	t.Parallel()
	app := spacetest.FromSpacefile(t, "testdata/notes", notesHandlers())

	health := decode(t, get(t, app.HTTPClient(), app, "/api/health"))
	assert.Equal(t, "api", health.Micro)
	assert.Equal(t, "public", health.Auth, "public_routes come from the Spacefile")
	work := decode(t, get(t, app.Browser(), app, "/v1/work/jobs"))
	assert.Equal(t, "worker", work.Micro)
	assert.Equal(t, "/jobs", work.Path)
	assert.Equal(t, "web", decode(t, get(t, app.Browser(), app, "/v1/other")).Micro)

	resp := get(t, app.HTTPClient(), app, "/api/notes")
	_ = readAll(t, resp)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	req, err := http.NewRequest(http.MethodGet, app.URL()+"/api/notes", nil)
	require.NoError(t, err)
	req.Header.Set("X-Space-App-Key", app.NewAppKey())
	resp, err = app.HTTPClient().Do(req)
	require.NoError(t, err)
	assert.Equal(t, "app_key", decode(t, resp).Auth, "presets.api_keys allows app keys")

	title, ok := app.Env("api").Lookup("NOTES_TITLE")
	assert.True(t, ok)
	assert.Equal(t, "My notes", title)
	_, ok = app.Env("api").Lookup("NOTES_SECRET")
	assert.False(t, ok, "a preset without default stays unset")
	assert.Equal(t, "primary", app.Env("web").MicroType)

	assert.Equal(t, "api", decode(t, app.Trigger("cleanup")).Micro)
}

func TestMicrosFromSpacefile(t *testing.T) {
	t.Parallel()
	micros := spacetest.MicrosFromSpacefile(t, "testdata/notes", notesHandlers())
	require.Len(t, micros, 3)
	for i := range micros {
		micros[i].Handler = nil
	}
	assert.Equal(t, []spacetest.Micro{
		{Name: "web", Primary: true},
		{Name: "api", Path: "/api", PublicRoutes: []string{"/health"}, AppKeys: true,
			Env: map[string]string{"NOTES_TITLE": "My notes"}, Actions: []string{"cleanup"}},
		{Name: "worker", Path: "/v1/work"},
	}, micros)
}

func TestFromSpacefileFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		dir      string
		handlers map[string]http.Handler
		message  string
	}{
		{"missing handler", "testdata/notes",
			map[string]http.Handler{"web": echo("web"), "api": echo("api")},
			`spacetest: FromSpacefile("testdata/notes"): Micro "worker" has no handler: add ` +
				`handlers["worker"]`},
		{"extra handler", "testdata/notes",
			map[string]http.Handler{"web": echo("web"), "api": echo("api"),
				"worker": echo("worker"), "admin": echo("admin")},
			`spacetest: FromSpacefile("testdata/notes"): handlers["admin"]: the Spacefile ` +
				`has no such Micro; it has "web", "api", "worker"`},
		{"no spacefile", "testdata", notesHandlers(),
			`spacetest: FromSpacefile("testdata"): open testdata/Spacefile: no such file or ` +
				`directory`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msg := fatalOf(t, func(tb testing.TB) {
				spacetest.FromSpacefile(tb, tt.dir, tt.handlers)
			})
			assert.Equal(t, tt.message, msg)
		})
	}
}

func TestFromSpacefileInvalid(t *testing.T) {
	t.Parallel()
	msg := fatalOf(t, func(tb testing.TB) {
		spacetest.FromSpacefile(tb, "testdata/invalid", map[string]http.Handler{})
	})
	// The spacefile package words the problems; this test checks that each names the file
	// and the line.
	lines := strings.Split(msg, "\n")
	require.Len(t, lines, 5, msg)
	assert.Equal(t, `spacetest: FromSpacefile("testdata/invalid"): spacefile: 4 problems:`,
		lines[0])
	for i, line := range []int{2, 6, 6, 8} {
		assert.True(t, strings.HasPrefix(lines[i+1],
			fmt.Sprintf("  testdata/invalid/Spacefile:%d: ", line)), lines[i+1])
	}
}
