//go:build linux

package main

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacefile"
)

// spacefileWith returns a two-Micro Spacefile, web and api, with the given api run command
// and extra lines for the api Micro.
func spacefileWith(apiRun, apiExtra string) string {
	return `v: 0
micros:
  - name: web
    src: web
    engine: custom
    primary: true
    run: ./web-micro
  - name: api
    src: api
    engine: custom
    run: ` + apiRun + "\n" + apiExtra
}

// TestUpBadInput checks that each kind of bad input fails with exit status 1 and a message that
// names the problem, and leaves no process behind.
func TestUpBadInput(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { busy.Close() }) // after the parallel subtests

	tests := []struct {
		name      string
		spacefile string // "" means none
		args      []string
		want      []string // in the error output
		started   int      // Micros started before the failure
	}{
		{
			name: "no Spacefile",
			want: []string{"Spacefile not found"},
		},
		{
			name:      "invalid Spacefile",
			spacefile: "v: 0\nmicros:\n  - name: web\n    src: web\n    engine: cobol\n    colour: red\n",
			want: []string{"2 problem(s)", `Spacefile:5: micro "web": engine:`,
				`Spacefile:6: micro "web":`, "colour"},
		},
		{
			name:      "missing src",
			spacefile: strings.Replace(spacefileWith("./api-micro", ""), "src: api", "src: nowhere", 1),
			want:      []string{`micro "api": src:`, "nowhere", "does not exist"},
		},
		{
			name: "missing serve folder",
			spacefile: spacefileWith("./api-micro",
				"  - name: docs\n    src: docs\n    engine: static\n    serve: build\n"),
			want: []string{`micro "docs": serve folder`, "docs/build not found"},
		},
		{
			name: "no run command",
			spacefile: strings.Replace(spacefileWith("./api-micro", "    dev: ./api-micro\n"),
				"    run: ./api-micro\n", "", 1),
			want: []string{`micro "api": no run command: add run to the Spacefile, ` +
				"or use --command=dev"},
		},
		{
			name:      "address in use",
			spacefile: spacefileWith("./api-micro", ""),
			args:      []string{"--addr", busy.Addr().String()},
			want:      []string{"--addr " + busy.Addr().String() + " is already in use"},
		},
		{
			name:      "command not found",
			spacefile: spacefileWith("no-such-command-for-spacedev", ""),
			want: []string{`Micro "api" (run command) exited before it listened: exit code 127: ` +
				"the shell found no such command", "no-such-command-for-spacedev: not found"},
			started: 2,
		},
		{
			name:      "command exits at once",
			spacefile: spacefileWith("echo done for now", ""),
			want: []string{`Micro "api" (run command) exited before it listened: exit code 0`,
				"last output:\n    done for now"},
			started: 2,
		},
		{
			name:      "never listens",
			spacefile: spacefileWith("sleep 60", ""),
			args:      []string{"--start-timeout", "1s"},
			want: []string{`Micro "api" (run command) did not listen on port`,
				"within 1s (--start-timeout)"},
			started: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if tt.spacefile != "" {
				dir = newProjectWith(t, tt.spacefile)
			}
			app := launch(t, dir, nil, tt.args...)
			assert.Equal(t, 1, app.wait())
			for _, want := range tt.want {
				assert.Contains(t, app.stderr.String(), want)
			}
			assert.Len(t, app.microPIDs(), tt.started)
			assert.Empty(t, app.survivors())
			assert.NotContains(t, app.stdout.String(), "the app runs at")
		})
	}
}

func TestUpUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"up", "--colour"}, "flag provided but not defined: -colour"},
		{"two folders", []string{"up", "a", "b"}, `too many arguments ["a" "b"]`},
		{"bad on-crash", []string{"up", "--on-crash", "panic"},
			`--on-crash "panic": use restart or stop`},
		{"bad command", []string{"up", "--command", "build"}, `--command "build": use dev or run`},
		{"bad log format", []string{"up", "--log-format", "xml"}, `--log-format "xml": use text or json`},
		{"bad schedule speed", []string{"up", "--schedule-speed", "0"}, "--schedule-speed 0: use 1"},
		{"port out of range", []string{"up", "--addr", "127.0.0.1:99999"},
			`--addr "127.0.0.1:99999": port "99999" is invalid: use a number from 0 to 65535`},
		{"negative port", []string{"up", "--addr", "127.0.0.1:-1"}, `port "-1" is invalid`},
		{"named port", []string{"up", "--addr", "localhost:http"}, `port "http" is invalid`},
		{"addr without port", []string{"up", "--addr", "localhost"},
			`--addr "localhost" is not host:port: use an address such as localhost:4200`},
		{"env addr out of range", []string{"env", "--addr", ":70000", "web"},
			`env: --addr ":70000": port "70000" is invalid`},
		{"unknown command", []string{"down"}, `unknown command "down"`},
		{"trigger without id", []string{"trigger"}, "missing action id"},
		{"env without micro", []string{"env"}, "missing Micro name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := runSpacedev(t, nil, tt.args...)
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, stderr, tt.want)
		})
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	before := time.Now().UTC().Truncate(time.Second)
	stdout, stderr, code := runSpacedev(t, nil, "check", "testdata/app")
	after := time.Now().UTC()
	require.Equal(t, 0, code, stderr)

	abs, err := filepath.Abs("testdata/app")
	require.NoError(t, err)
	assert.Contains(t, stdout, "The Spacefile in "+abs+" is valid: 4 Micro(s), 2 action(s).\n\n"+
		"MICRO   TYPE     PATH     RUNS                ACCESS\n"+
		"web     primary  /        dev: go run .       public routes /public/*\n"+
		"api     normal   /api     dev: go run .       private; app keys\n"+
		"worker  normal   /worker  dev: go run .       private\n"+
		"docs    normal   /docs    files in docs/dist  public\n\n"+
		"ACTION   MICRO   NAME      INTERVAL   FIRST RUN IF STARTED NOW (UTC)\n")

	rows := regexp.MustCompile(`(?m)^(\w+)\s+worker\s+.*\s(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)$`).
		FindAllStringSubmatch(stdout, -1)
	require.Len(t, rows, 2, stdout)
	tick, err := time.Parse(time.DateTime, rows[0][2])
	require.NoError(t, err)
	assert.Equal(t, "tick", rows[0][1])
	assert.False(t, tick.Before(before.Add(time.Minute)), "tick at %s", tick)
	assert.False(t, tick.After(after.Add(time.Minute)), "tick at %s", tick)

	daily, err := spacefile.ParseInterval("0 3 * * *")
	require.NoError(t, err)
	assert.Equal(t, "cleanup", rows[1][1])
	assert.Equal(t, daily.Next(before).Format(time.DateTime), rows[1][2])
}

func TestCheckListsEveryProblem(t *testing.T) {
	t.Parallel()
	dir := newProjectWith(t, "v: 0\nmicros:\n  - name: web\n    src: web\n    engine: custom\n"+
		"    primary: yes\n  - name: api\n    src: api\n    engine: custom\n    run: ./api-micro\n"+
		"    path: /api/\n    public: true\n    public_routes: [\"/x\"]\n")
	_, stderr, code := runSpacedev(t, nil, "check", dir)
	assert.Equal(t, 1, code)
	file := filepath.Join(dir, "Spacefile")
	assert.Contains(t, stderr, "has 3 problem(s):\n")
	assert.Contains(t, stderr, "\n  "+file+":2: micros: no micro is primary")
	assert.Contains(t, stderr, "\n  "+file+`:6: micro "web": primary: must be true or false`)
	assert.Contains(t, stderr, "\n  "+file+`:13: micro "api": public_routes: cannot be `+
		"combined with public")
}

func TestEnvCommand(t *testing.T) {
	t.Parallel()
	dir := newProject(t)

	stdout, stderr, code := runSpacedev(t, nil, "env", dir, "api", "--addr", "0.0.0.0:5000")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "# Variables spacedev adds to the environment of Micro \"api\".\n"+
		"# PORT is a free port that \"spacedev up\" picks when it starts.\n"+
		"DETA_SPACE_APP_HOSTNAME=localhost:5000\n"+
		"DETA_API_KEY=[REDACTED]\n"+
		"DETA_SPACE_APP_MICRO_NAME=api\n"+
		"DETA_SPACE_APP_MICRO_TYPE=normal\n"+
		"SPACEKIT_SESSION_KEY=[REDACTED]\n"+
		"SPACEKIT_SESSION_COOKIE="+sessionCookieName(dir)+"\n"+
		"DETA_PROJECT_KEY=[REDACTED]\n"+
		"DETA_SPACE_APP_VERSION=dev\n"+
		"DETA_SPACE_APP=false\n", stdout)

	revealed := envCommand(t, "--reveal", dir, "web")
	assert.Equal(t, apiKey(t, dir), revealed["DETA_API_KEY"], "env creates the stable keys")
	assert.Regexp(t, `^[a-z0-9]{8}_[A-Z0-9]{26}$`, revealed["DETA_PROJECT_KEY"])
	keys, err := readKeys(filepath.Join(dir, stateDirName, keysFileName))
	require.NoError(t, err)
	assert.Equal(t, keys.SessionKey.Reveal(), revealed["SPACEKIT_SESSION_KEY"],
		"--reveal prints the session key")

	_, stderr, code = runSpacedev(t, nil, "env", dir, "nope")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `no Micro "nope" in the Spacefile: use one of web, api, worker, docs`)

	_, stderr, code = runSpacedev(t, nil, "env", dir, "docs")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `Micro "docs" is static: spacedev serves`)
}

func TestTriggerWithoutRunningApp(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	_, stderr, code := runSpacedev(t, nil, "trigger", dir, "tick")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "no spacedev up is running for this project: start it with")

	_, stderr, code = runSpacedev(t, nil, "login", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "no spacedev up is running for this project")
	assert.NoDirExists(t, filepath.Join(dir, stateDirName), "trigger creates no state")
	_, err := os.Stat(dir)
	require.NoError(t, err)
}
