package spacefile_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacefile"
)

// oneMicro returns a Spacefile whose only Micro, api, has src and engine on lines 4 and 5,
// followed by extra: keys written without indentation, which start on line 6.
func oneMicro(extra string) string {
	return "v: 0\nmicros:\n  - name: api\n    src: .\n    engine: custom\n" + indent(extra)
}

// twoMicros returns a Spacefile whose primary Micro web takes lines 3 to 6 and whose second
// Micro api starts on line 7, with extra from line 10.
func twoMicros(extra string) string {
	return "v: 0\nmicros:\n  - name: web\n    src: .\n    engine: custom\n    primary: true\n" +
		"  - name: api\n    src: ./api\n    engine: custom\n" + indent(extra)
}

func indent(block string) string {
	if block == "" {
		return ""
	}
	lines := strings.Split(strings.TrimSuffix(block, "\n"), "\n")
	for i, line := range lines {
		lines[i] = "    " + line
	}
	return strings.Join(lines, "\n") + "\n"
}

// wantProblem is the expected location of a problem and a word its message must contain.
type wantProblem struct {
	line     int
	micro    string
	field    string
	contains string
}

func problemsOf(t *testing.T, text string) []spacefile.Problem {
	t.Helper()
	sf, err := spacefile.Parse([]byte(text))
	require.Error(t, err, "Spacefile:\n%s", text)
	assert.Nil(t, sf)
	var verr *spacefile.ValidationError
	require.True(t, errors.As(err, &verr), "error %T is not a *ValidationError", err)
	return verr.Problems
}

func assertProblems(t *testing.T, got []spacefile.Problem, want []wantProblem) {
	t.Helper()
	require.Len(t, got, len(want), "problems: %v", got)
	for i, w := range want {
		p := got[i]
		assert.Equal(t, w.line, p.Line, "problem %d line: %v", i, p)
		assert.Equal(t, w.micro, p.Micro, "problem %d micro: %v", i, p)
		assert.Equal(t, w.field, p.Field, "problem %d field: %v", i, p)
		assert.Contains(t, strings.ToLower(p.Message), w.contains, "problem %d message", i)
	}
}

func TestParseTopLevelProblems(t *testing.T) {
	t.Parallel()
	const micros = "micros:\n  - name: api\n    src: .\n    engine: custom\n"
	tests := []struct {
		name string
		text string
		want []wantProblem
	}{
		{"empty file", "", []wantProblem{{1, "", "", "empty"}}},
		{"comment only", "# nothing\n", []wantProblem{{1, "", "", "empty"}}},
		{"document marker only", "---\n", []wantProblem{{1, "", "", "empty"}}},
		{"list at top level", "- v: 0\n", []wantProblem{{1, "", "", "not a list"}}},
		{"missing v", micros, []wantProblem{{1, "", "v", "missing"}}},
		{"missing micros", "v: 0\n", []wantProblem{{1, "", "micros", "missing"}}},
		{"version 1", "v: 1\n" + micros, []wantProblem{{1, "", "v", "version 1"}}},
		{"version quoted", "v: \"0\"\n" + micros,
			[]wantProblem{{1, "", "v", `not the string "0"`}}},
		{"version float", "v: 0.0\n" + micros, []wantProblem{{1, "", "v", "the number 0.0"}}},
		{"unknown key", "v: 0\nname: notes\n" + micros,
			[]wantProblem{{2, "", "name", "unknown key"}}},
		{"duplicate key", "v: 0\nv: 0\n" + micros,
			[]wantProblem{{2, "", "v", "appears twice"}}},
		{"icon integer", "v: 0\nicon: 512\n" + micros,
			[]wantProblem{{2, "", "icon", `quote it to make it a string: "512"`}}},
		{"app_name 13 characters", "v: 0\napp_name: Thirteen Char\n" + micros,
			[]wantProblem{{2, "", "app_name", "13 characters"}}},
		{"app_name counts characters, not bytes", "v: 0\napp_name: ÄÖÜäöüßÄÖÜäöü\n" + micros,
			[]wantProblem{{2, "", "app_name", "13 characters"}}},
		{"auto_pwa yes", "v: 0\nauto_pwa: yes\n" + micros,
			[]wantProblem{{2, "", "auto_pwa", `not the string "yes"`}}},
		{"micros mapping", "v: 0\nmicros:\n  api: {}\n",
			[]wantProblem{{2, "", "micros", "must be a list"}}},
		{"micros null", "v: 0\nmicros:\n", []wantProblem{{2, "", "micros", "an empty value"}}},
		{"micros empty", "v: 0\nmicros: []\n", []wantProblem{{2, "", "micros", "empty list"}}},
		{"micro not a mapping", "v: 0\nmicros:\n  - api\n",
			[]wantProblem{{3, "", "micros[0]", "must be a mapping"}}},
		{"second document", "v: 0\n" + micros + "---\nv: 0\n",
			[]wantProblem{{6, "", "", "second yaml document"}}},
		{"syntax error", "v: 0\nmicros: [\n", []wantProblem{{2, "", "", "invalid yaml"}}},
		{"control character", "v: 0\x01\n",
			[]wantProblem{{1, "", "", "control characters"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertProblems(t, problemsOf(t, tt.text), tt.want)
		})
	}
}

func TestParseSixMicros(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("v: 0\nmicros:\n")
	for _, name := range []string{"m1", "m2", "m3", "m4", "m5", "m6"} {
		b.WriteString("  - {name: " + name + ", src: ., engine: custom, path: " + name + "}\n")
	}
	b.WriteString("  # m1 is the primary\n")
	text := strings.Replace(b.String(), "path: m1}", "primary: true}", 1)
	assertProblems(t, problemsOf(t, text), []wantProblem{{2, "", "micros", "lists 6 micros"}})
}

func TestParseMicroProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want []wantProblem
	}{
		{"unknown key", oneMicro("runtime: nodejs16.x"),
			[]wantProblem{{6, "api", "runtime", "unknown key"}}},
		{"duplicate key", oneMicro("engine: python3.9"),
			[]wantProblem{{6, "api", "engine", "lines 5 and 6"}}},
		{"name missing", "v: 0\nmicros:\n  - src: .\n    engine: custom\n",
			[]wantProblem{{3, "", "micros[0].name", "missing"}}},
		{"name empty", "v: 0\nmicros:\n  - name: ''\n    src: .\n    engine: custom\n",
			[]wantProblem{{3, "", "micros[0].name", "empty"}}},
		{"name integer", "v: 0\nmicros:\n  - name: 42\n    src: .\n    engine: custom\n",
			[]wantProblem{{3, "", "micros[0].name", `"42"`}}},
		{"name with dot", "v: 0\nmicros:\n  - name: api.v2\n    src: .\n    engine: custom\n",
			[]wantProblem{{3, "api.v2", "name", "not a valid micro name"}}},
		{"name starting with dash",
			"v: 0\nmicros:\n  - name: -api\n    src: .\n    engine: custom\n",
			[]wantProblem{{3, "-api", "name", "not a valid micro name"}}},
		{"src missing", "v: 0\nmicros:\n  - name: api\n    engine: custom\n",
			[]wantProblem{{3, "api", "src", "missing"}}},
		{"src empty", "v: 0\nmicros:\n  - name: api\n    src: ''\n    engine: custom\n",
			[]wantProblem{{4, "api", "src", "empty"}}},
		{"src absolute", "v: 0\nmicros:\n  - name: api\n    src: /srv/api\n    engine: custom\n",
			[]wantProblem{{4, "api", "src", "absolute"}}},
		{"engine missing", "v: 0\nmicros:\n  - name: api\n    src: .\n",
			[]wantProblem{{3, "api", "engine", "missing"}}},
		{"engine unknown", "v: 0\nmicros:\n  - name: api\n    src: .\n    engine: go\n",
			[]wantProblem{{5, "api", "engine", `"go" is not a space engine`}}},
		{"engine list", "v: 0\nmicros:\n  - name: api\n    src: .\n    engine: [custom]\n",
			[]wantProblem{{5, "api", "engine", "not a list"}}},
		{"primary yes", oneMicro("primary: yes"),
			[]wantProblem{{6, "api", "primary", `not the string "yes"`}}},
		{"primary on", oneMicro("primary: on"),
			[]wantProblem{{6, "api", "primary", `not the string "on"`}}},
		{"primary integer", oneMicro("primary: 1"),
			[]wantProblem{{6, "api", "primary", "the integer 1"}}},
		{"run integer", oneMicro("run: 8080"),
			[]wantProblem{{6, "api", "run", "must be a string"}}},
		{"dev list", oneMicro("dev: [npm, run]"),
			[]wantProblem{{6, "api", "dev", "not a list"}}},
		{"path integer", twoMicros("path: 2"),
			[]wantProblem{{10, "api", "path", "must be a string"}}},
		{"provide_actions string", oneMicro("provide_actions: 'true'"),
			[]wantProblem{{6, "api", "provide_actions", `not the string "true"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertProblems(t, problemsOf(t, tt.text), tt.want)
		})
	}
}

func TestParseEngineRules(t *testing.T) {
	t.Parallel()
	micro := func(engine, extra string) string {
		return "v: 0\nmicros:\n  - name: web\n    src: .\n    engine: " + engine + "\n" +
			indent(extra)
	}
	tests := []struct {
		name string
		text string
		want []wantProblem
	}{
		{"static without serve", micro("static", ""),
			[]wantProblem{{3, "web", "serve", "missing"}}},
		{"static with empty serve", micro("static", "serve: ''"),
			[]wantProblem{{6, "web", "serve", "empty"}}},
		{"static with absolute serve", micro("static", "serve: /dist"),
			[]wantProblem{{6, "web", "serve", "absolute"}}},
		{"next with serve", micro("next", "serve: out"),
			[]wantProblem{{6, "web", "serve", `engine "next"`}}},
		{"custom with serve", micro("custom", "serve: out"),
			[]wantProblem{{6, "web", "serve", `engine "custom"`}}},
		{"react with include", micro("react", "include:\n  - dist"),
			[]wantProblem{{6, "web", "include", `engine "react"`}}},
		{"static with include", micro("static", "serve: dist\ninclude:\n  - dist"),
			[]wantProblem{{7, "web", "include", `engine "static"`}}},
		{"include empty", micro("custom", "include: []"),
			[]wantProblem{{6, "web", "include", "empty list"}}},
		{"include twice", micro("custom", "include:\n  - server\n  - server"),
			[]wantProblem{{8, "web", "include", "lines 7 and 8"}}},
		{"commands empty", micro("custom", "commands: []"),
			[]wantProblem{{6, "web", "commands", "empty list"}}},
		{"commands string", micro("custom", "commands: go build"),
			[]wantProblem{{6, "web", "commands", "must be a list of strings"}}},
		{"command integer", micro("custom", "commands:\n  - make\n  - 42"),
			[]wantProblem{{8, "web", "commands[1]", "the integer 42"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertProblems(t, problemsOf(t, tt.text), tt.want)
		})
	}
}

func TestParseServeAllowed(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"static", "react", "vue", "svelte"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			text := "v: 0\nmicros:\n  - name: web\n    src: .\n    engine: " + engine +
				"\n    serve: dist\n"
			sf, err := spacefile.Parse([]byte(text))
			require.NoError(t, err)
			assert.Equal(t, "dist", sf.Micros[0].Serve)
			assert.Equal(t, engine == "static", sf.Micros[0].IsStatic())
		})
	}
}

func TestParseEveryEngine(t *testing.T) {
	t.Parallel()
	engines := []string{"static", "react", "svelte", "vue", "next", "nuxt", "svelte-kit",
		"python3.9", "python3.8", "nodejs16", "custom"}
	for _, engine := range engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			text := "v: 0\nmicros:\n  - name: app\n    src: .\n    engine: " + engine + "\n"
			if engine == "static" {
				text += "    serve: public\n"
			}
			sf, err := spacefile.Parse([]byte(text))
			require.NoError(t, err)
			assert.Equal(t, engine, sf.Micros[0].Engine)
		})
	}
}

func TestParsePublicRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want []wantProblem
	}{
		{"public with public_routes", oneMicro("public: true\npublic_routes:\n  - /a"),
			[]wantProblem{{7, "api", "public_routes", "cannot be combined with public"}}},
		{"public false with public_routes", oneMicro("public_routes:\n  - /a\npublic: false"),
			[]wantProblem{{6, "api", "public_routes", "cannot be combined with public"}}},
		{"public_routes empty", oneMicro("public_routes: []"),
			[]wantProblem{{6, "api", "public_routes", "empty list"}}},
		{"public_routes empty route", oneMicro("public_routes:\n  - /a\n  - ''"),
			[]wantProblem{{8, "api", "public_routes", "empty route"}}},
		{"public_routes twice", oneMicro("public_routes:\n  - /a/*\n  - /b\n  - /a/*"),
			[]wantProblem{{9, "api", "public_routes", `"/a/*" twice (lines 7 and 9)`}}},
		{"public_routes without leading slash", oneMicro("public_routes:\n  - public/*"),
			[]wantProblem{{7, "api", "public_routes", `write "/public/*"`}}},
		{"public_routes with dot segment", oneMicro("public_routes:\n  - /a/../b"),
			[]wantProblem{{7, "api", "public_routes", "never matches"}}},
		{"public_routes with empty segment", oneMicro("public_routes:\n  - /a//b"),
			[]wantProblem{{7, "api", "public_routes", "never matches"}}},
		{"public_routes ending in dot", oneMicro("public_routes:\n  - /a/."),
			[]wantProblem{{7, "api", "public_routes", "never matches"}}},
		{"public string", oneMicro("public: 'yes'"),
			[]wantProblem{{6, "api", "public", "true or false"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertProblems(t, problemsOf(t, tt.text), tt.want)
		})
	}
}

func TestParsePresetsRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want []wantProblem
	}{
		{"presets list", oneMicro("presets: []"),
			[]wantProblem{{6, "api", "presets", "must be a mapping"}}},
		{"presets unknown key", oneMicro("presets:\n  secrets: []"),
			[]wantProblem{{7, "api", "presets.secrets", "unknown key"}}},
		{"env empty", oneMicro("presets:\n  env: []"),
			[]wantProblem{{7, "api", "presets.env", "empty list"}}},
		{"env item string", oneMicro("presets:\n  env:\n    - TOKEN"),
			[]wantProblem{{8, "api", "presets.env[0]", "must be a mapping"}}},
		{"env name missing", oneMicro("presets:\n  env:\n    - default: x"),
			[]wantProblem{{8, "api", "presets.env[0].name", "missing"}}},
		{"env name empty", oneMicro("presets:\n  env:\n    - name: ''"),
			[]wantProblem{{8, "api", "presets.env[0].name", "empty"}}},
		{"env name with equals", oneMicro("presets:\n  env:\n    - name: A=B"),
			[]wantProblem{{8, "api", "presets.env[0].name", `contains "="`}}},
		{"env default integer", oneMicro("presets:\n  env:\n    - name: N\n      default: 50"),
			[]wantProblem{{9, "api", "presets.env[0].default", `"50"`}}},
		{"env description list",
			oneMicro("presets:\n  env:\n    - name: N\n      description: [a]"),
			[]wantProblem{{9, "api", "presets.env[0].description", "not a list"}}},
		{"env unknown key", oneMicro("presets:\n  env:\n    - name: N\n      secret: true"),
			[]wantProblem{{9, "api", "presets.env[0].secret", "unknown key"}}},
		{"api_keys yes", oneMicro("presets:\n  api_keys: yes"),
			[]wantProblem{{7, "api", "presets.api_keys", `not the string "yes"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertProblems(t, problemsOf(t, tt.text), tt.want)
		})
	}
}

// action returns an actions entry with the given id, at the indentation oneMicro expects.
func action(id string) string {
	return "  - {id: " + id + ", name: " + id + ", trigger: schedule, default_interval: 1 hour}\n"
}

func TestParseActionRules(t *testing.T) {
	t.Parallel()
	const full = "actions:\n  - id: a\n    name: A\n    trigger: schedule\n"
	tests := []struct {
		name string
		text string
		want []wantProblem
	}{
		{"actions empty", oneMicro("actions: []"),
			[]wantProblem{{6, "api", "actions", "empty list"}}},
		{"id missing", oneMicro("actions:\n  - {name: A, trigger: schedule, " +
			"default_interval: 1 hour}"),
			[]wantProblem{{7, "api", "actions[0].id", "missing"}}},
		{"every key missing", oneMicro("actions:\n  - {description: nothing}"),
			[]wantProblem{
				{7, "api", "actions[0].id", "missing"},
				{7, "api", "actions[0].name", "missing"},
				{7, "api", "actions[0].trigger", "missing"},
				{7, "api", "actions[0].default_interval", "missing"},
			}},
		{"id empty", oneMicro(strings.Replace(full, "id: a", "id: ''", 1) +
			"    default_interval: 1 hour"),
			[]wantProblem{{7, "api", "actions[0].id", "empty"}}},
		{"unknown key", oneMicro(full + "    default_interval: 1 hour\n    cron: x"),
			[]wantProblem{{11, "api", "actions[0].cron", "unknown key"}}},
		{"trigger cron", oneMicro(strings.Replace(full, "schedule", "cron", 1) +
			"    default_interval: 1 hour"),
			[]wantProblem{{9, "api", "actions[0].trigger", `"cron" is not supported`}}},
		{"description 143 characters", oneMicro(full + "    default_interval: 1 hour\n" +
			"    description: " + strings.Repeat("ü", 143)),
			[]wantProblem{{11, "api", "actions[0].description", "143 characters"}}},
		{"interval plural for one", oneMicro(full + "    default_interval: 1 hours"),
			[]wantProblem{{10, "api", "actions[0].default_interval", `"1 hour"`}}},
		{"interval six fields", oneMicro(full + "    default_interval: 0 0 10 * * *"),
			[]wantProblem{{10, "api", "actions[0].default_interval", "6 fields"}}},
		{"interval integer", oneMicro(full + "    default_interval: 5"),
			[]wantProblem{{10, "api", "actions[0].default_interval", "the integer 5"}}},
		{"six actions", oneMicro("actions:\n" + action("a") + action("b") + action("c") +
			action("d") + action("e") + action("f")),
			[]wantProblem{{6, "api", "actions", "lists 6 actions"}}},
		{"id twice", oneMicro("actions:\n" + action("a") +
			"  - {id: a, name: B, trigger: schedule, default_interval: 1 hour}"),
			[]wantProblem{{8, "api", "actions[1].id", "line 7"}}},
		{"name twice", oneMicro("actions:\n" + action("a") +
			"  - {id: b, name: a, trigger: schedule, default_interval: 1 hour}"),
			[]wantProblem{{8, "api", "actions[1].name", "line 7"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertProblems(t, problemsOf(t, tt.text), tt.want)
		})
	}
}

func TestParseActionIDsUniqueAcrossMicros(t *testing.T) {
	t.Parallel()
	text := "v: 0\nmicros:\n  - name: web\n    src: .\n    engine: custom\n    primary: true\n" +
		"    actions:\n" + indent(action("sync")) +
		"  - name: api\n    src: ./api\n    engine: custom\n    actions:\n" + indent(action("sync"))
	assertProblems(t, problemsOf(t, text), []wantProblem{
		{13, "api", "actions[0].id", `"sync" is also used by the action on line 8`},
		{13, "api", "actions[0].name", `"sync" is also used by the action on line 8`},
	})
}

func TestParsePrimaryRules(t *testing.T) {
	t.Parallel()
	const web = "  - name: web\n    src: .\n    engine: custom\n"
	const api = "  - name: api\n    src: .\n    engine: custom\n"
	tests := []struct {
		name string
		text string
		want []wantProblem
	}{
		{"no primary", "v: 0\nmicros:\n" + web + api,
			[]wantProblem{{2, "", "micros", "no micro is primary"}}},
		{"both primary", "v: 0\nmicros:\n" + web + "    primary: true\n" + api +
			"    primary: true\n",
			[]wantProblem{{10, "api", "primary", `"web" on line 3 already`}}},
		{"primary false twice", "v: 0\nmicros:\n" + web + "    primary: false\n" + api +
			"    primary: false\n",
			[]wantProblem{{2, "", "micros", "no micro is primary"}}},
		{"name twice", "v: 0\nmicros:\n" + web + "    primary: true\n" +
			strings.Replace(api, "api", "web", 1),
			[]wantProblem{{7, "web", "name", "must be unique"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertProblems(t, problemsOf(t, tt.text), tt.want)
		})
	}
}

func TestParseLoneMicroIsPrimary(t *testing.T) {
	t.Parallel()
	for _, primary := range []string{"", "primary: true", "primary: false"} {
		t.Run(primary, func(t *testing.T) {
			t.Parallel()
			sf, err := spacefile.Parse([]byte(oneMicro(primary + "\npath: api")))
			require.NoError(t, err)
			assert.True(t, sf.Micros[0].Primary)
			assert.Equal(t, "/", sf.Micros[0].Path, "the primary's path is ignored")
			assert.Same(t, sf.Micros[0], sf.Primary())
		})
	}
}

func TestParseNormalisesPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path string
		want string
	}{
		{"", "/api"},
		{"path: ''", "/api"},
		{"path: api", "/api"},
		{"path: /api", "/api"},
		{"path: api/", "/api"},
		{"path: /api/", "/api"},
		{"path: api//", "/api/"},
		{"path: v1/api", "/v1/api"},
		{"path: /v1/api/", "/v1/api"},
		{"path: Docs", "/Docs"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			sf, err := spacefile.Parse([]byte(twoMicros(tt.path)))
			require.NoError(t, err)
			assert.Equal(t, "/", sf.Micros[0].Path)
			assert.Equal(t, tt.want, sf.Micros[1].Path)
			assert.False(t, sf.Micros[1].Primary)
		})
	}
}

func TestParsePathProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path     string
		contains string
	}{
		{"/", "every request of the primary"},
		{"//", "every request of the primary"},
		{"'/my api'", "cannot hold"},
		{"api?v=1", "cannot hold"},
		{"api#top", "cannot hold"},
		{"api%2Fv1", "cannot hold"},
		{"/a/../b", ". or .. segment"},
		{"./api", ". or .. segment"},
		{"/__space", "reserves"},
		{"__space/v0", "reserves"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			got := problemsOf(t, twoMicros("path: "+tt.path))
			assertProblems(t, got, []wantProblem{{10, "api", "path", tt.contains}})
		})
	}
}

func TestParsePathsUnique(t *testing.T) {
	t.Parallel()
	text := twoMicros("path: /jobs") + "  - name: jobs\n    src: .\n    engine: custom\n"
	assertProblems(t, problemsOf(t, text), []wantProblem{
		{11, "jobs", "path", `"/jobs" is also the path of micro "api"`},
	})
}

func TestParseYAMLFeatures(t *testing.T) {
	t.Parallel()
	t.Run("aliases", func(t *testing.T) {
		t.Parallel()
		text := "v: 0\nmicros:\n  - name: web\n    src: .\n    engine: custom\n" +
			"    primary: true\n    presets: &shared\n      env:\n        - name: LOG\n" +
			"  - name: api\n    src: .\n    engine: custom\n    presets: *shared\n"
		sf, err := spacefile.Parse([]byte(text))
		require.NoError(t, err)
		want := spacefile.Presets{Env: []spacefile.EnvPreset{{Name: "LOG"}}}
		assert.Equal(t, want, sf.Micros[0].Presets)
		assert.Equal(t, want, sf.Micros[1].Presets)
	})
	t.Run("merge keys", func(t *testing.T) {
		t.Parallel()
		text := "v: 0\nmicros:\n  - &base\n    name: web\n    src: .\n    engine: custom\n" +
			"    run: ./web\n    primary: true\n" +
			"  - <<: *base\n    name: api\n    primary: false\n"
		sf, err := spacefile.Parse([]byte(text))
		require.NoError(t, err)
		api := sf.Micro("api")
		require.NotNil(t, api)
		assert.Equal(t, "./web", api.Run, "merged from the anchor")
		assert.False(t, api.Primary, "written keys win over merged ones")
		assert.Equal(t, "/api", api.Path)
	})
	t.Run("booleans in every YAML 1.2 spelling", func(t *testing.T) {
		t.Parallel()
		sf, err := spacefile.Parse([]byte(oneMicro("public: True\nprovide_actions: TRUE")))
		require.NoError(t, err)
		assert.True(t, sf.Micros[0].Public)
		assert.True(t, sf.Micros[0].ProvideActions)
	})
	t.Run("CRLF line endings", func(t *testing.T) {
		t.Parallel()
		text := strings.ReplaceAll(oneMicro("run: ./server"), "\n", "\r\n")
		sf, err := spacefile.Parse([]byte(text))
		require.NoError(t, err)
		assert.Equal(t, "./server", sf.Micros[0].Run)
	})
	t.Run("tab after a colon", func(t *testing.T) {
		t.Parallel()
		sf, err := spacefile.Parse([]byte(oneMicro("run:\t./server")))
		require.NoError(t, err)
		assert.Equal(t, "./server", sf.Micros[0].Run)
	})
	t.Run("tab inside a block scalar", func(t *testing.T) {
		t.Parallel()
		sf, err := spacefile.Parse([]byte(oneMicro("run: |\n  cd app\n  \t./server")))
		require.NoError(t, err)
		assert.Equal(t, "cd app\n\t./server\n", sf.Micros[0].Run)
	})
}

func TestParseTabIndentation(t *testing.T) {
	t.Parallel()
	text := "v: 0\nmicros:\n  - name: api\n\tsrc: .\n    engine: custom\n"
	assertProblems(t, problemsOf(t, text), []wantProblem{{4, "", "", "indented with a tab"}})
}

func TestParseTabIndentationEveryLine(t *testing.T) {
	t.Parallel()
	text := "v: 0\nmicros:\n\t- name: api\n\t  src: .\n\n\t# engine below\n\t  engine: custom\n"
	got := problemsOf(t, text)
	assertProblems(t, got, []wantProblem{
		{3, "", "", "tab"}, {4, "", "", "tab"}, {7, "", "", "tab"},
	})
}

func TestParseMergeCycle(t *testing.T) {
	t.Parallel()
	text := "v: 0\nmicros:\n  - &m\n    <<: *m\n    name: api\n    src: .\n    engine: custom\n"
	assertProblems(t, problemsOf(t, text), []wantProblem{{4, "api", "", "merge key"}})
}

func TestParseAliasExpansionBounded(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("v: 0\nx: &routes [")
	for i := range 1000 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("/r")
	}
	b.WriteString("]\nmicros:\n")
	for range 200 {
		b.WriteString("  - {name: api, src: ., engine: custom, public_routes: *routes}\n")
	}
	got := problemsOf(t, b.String())
	var messages []string
	for _, p := range got {
		messages = append(messages, p.Message)
	}
	assert.Contains(t, strings.Join(messages, "\n"), "expands to more than 100000 YAML values")
}

func TestParseReportsEveryProblem(t *testing.T) {
	t.Parallel()
	text := `v: 1
micros:
  - name: web
    src: .
    engine: static
    primary: yes
  - name: api
    src: ./api
    engine: go
    serve: dist
    actions:
      - id: ping
        name: Ping
        trigger: schedule
        default_interval: 1 minutes
`
	assertProblems(t, problemsOf(t, text), []wantProblem{
		{1, "", "v", "version 1"},
		{2, "", "micros", "no micro is primary"},
		{3, "web", "serve", "missing"},
		{6, "web", "primary", "true or false"},
		{9, "api", "engine", `"go"`},
		{15, "api", "actions[0].default_interval", `"1 minute"`},
	})
}

func TestProblemString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		problem spacefile.Problem
		want    string
	}{
		{spacefile.Problem{Line: 7, Micro: "api", Field: "engine", Message: "fix it"},
			`line 7: micro "api": engine: fix it`},
		{spacefile.Problem{Line: 2, Field: "v", Message: "fix it"}, "line 2: v: fix it"},
		{spacefile.Problem{Line: 1, Message: "fix it"}, "line 1: fix it"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.problem.String())
	}
}

func TestValidationErrorText(t *testing.T) {
	t.Parallel()
	one := &spacefile.ValidationError{Problems: []spacefile.Problem{
		{Line: 3, Micro: "api", Field: "src", Message: "missing"},
	}}
	assert.Equal(t, `spacefile: line 3: micro "api": src: missing`, one.Error())

	two := &spacefile.ValidationError{File: "/app/Spacefile", Problems: []spacefile.Problem{
		{Line: 1, Field: "v", Message: "missing"},
		{Line: 3, Micro: "api", Field: "src", Message: "missing"},
	}}
	want := "spacefile: 2 problems:\n" +
		"  /app/Spacefile:1: v: missing\n" +
		"  /app/Spacefile:3: micro \"api\": src: missing"
	assert.Equal(t, want, two.Error())
}
