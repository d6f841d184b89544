//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// orphanSpacefile is an app whose commands start background processes: web leaves a sleep
// that only the process group reaches, and api's sleep also ignores SIGTERM, so it needs
// SIGKILL.
const orphanSpacefile = `v: 0
micros:
  - name: web
    src: web
    engine: custom
    primary: true
    run: sleep 300 & ./web-micro
  - name: api
    src: api
    engine: custom
    run: trap '' TERM; sleep 301 & ./api-micro
`

// commandsIn returns the command names of the running processes in the group pgid.
func commandsIn(t *testing.T, pgid int) []string {
	t.Helper()
	var names []string
	for _, pid := range groupMembers(pgid) {
		comm, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "comm"))
		if err == nil {
			names = append(names, strings.TrimSpace(string(comm)))
		}
	}
	return names
}

func TestShutdownLeavesNoProcess(t *testing.T) {
	tests := []struct {
		name   string
		signal syscall.Signal
	}{
		{"SIGINT", syscall.SIGINT},
		{"SIGTERM", syscall.SIGTERM},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := newProjectWith(t, orphanSpacefile)
			app := startApp(t, dir, nil, "--stop-timeout", "500ms")
			pids := app.microPIDs()
			require.Len(t, pids, 2)
			for _, pid := range pids {
				assert.Contains(t, commandsIn(t, pid), "sleep",
					"the test needs a background sleep in group %d", pid)
			}

			assert.Equal(t, 0, app.stop(tt.signal), "stderr:\n%s", app.stderr)
			assert.Empty(t, app.survivors())
			assert.Len(t, app.logsWith("micro stopped"), 2)
			killed := app.logsWith("micro's processes outlived SIGTERM and got SIGKILL")
			require.Len(t, killed, 1, "only api's sleep ignores SIGTERM")
			assert.Equal(t, "api", killed[0]["micro"])
		})
	}
}

// crashSpacefile is the test app without the static Micro and the actions.
const crashSpacefile = `v: 0
micros:
  - name: web
    src: web
    engine: custom
    primary: true
    run: ./web-micro
  - name: api
    src: api
    engine: custom
    run: ./api-micro
`

// crashAPI makes the api Micro exit with status 3. The Micro exits without a response, so the
// router returns 502.
func crashAPI(t *testing.T, app *appProcess, key string) {
	t.Helper()
	resp := do(t, newHTTPClient(t, false), "POST", app.url+"/api/crash",
		map[string]string{"X-API-Key": key})
	assert.Equal(t, 502, resp.status, resp.body)
}

func TestCrashStopsApp(t *testing.T) {
	t.Parallel()
	dir := newProjectWith(t, crashSpacefile)
	app := startApp(t, dir, nil, "--on-crash", "stop")
	crashAPI(t, app, apiKey(t, dir))

	assert.Equal(t, 1, app.wait())
	stderr := app.stderr.String()
	assert.Contains(t, stderr, `Micro "api" crashed (exit code 3) and --on-crash=stop stops the app`)
	assert.Contains(t, stderr, "crashing on request", "the error shows the Micro's last output")
	crashed := app.logsWith("micro crashed")
	require.Len(t, crashed, 1)
	assert.Equal(t, "api", crashed[0]["micro"])
	assert.Equal(t, "exit code 3", crashed[0]["exit"])
	assert.Empty(t, app.survivors())
	assert.NoFileExists(t, filepath.Join(dir, stateDirName, runFileName))
}

func TestCrashRestartsMicro(t *testing.T) {
	t.Parallel()
	dir := newProjectWith(t, crashSpacefile)
	app := startApp(t, dir, nil)
	key := apiKey(t, dir)
	crashAPI(t, app, key)

	eventually(t, "the api Micro to answer again", func() bool {
		return do(t, newHTTPClient(t, false), "GET", app.url+"/api/",
			map[string]string{"X-API-Key": key}).status == 200
	})
	crashed := app.logsWith("micro crashed")
	require.Len(t, crashed, 1, "the crash is reported before the restart")
	assert.Equal(t, "api", crashed[0]["micro"])
	assert.Equal(t, "exit code 3", crashed[0]["exit"])
	restarting := app.logsWith("micro restarting")
	require.Len(t, restarting, 1)
	assert.Equal(t, "api", restarting[0]["micro"])
	var apiPIDs []any
	for _, entry := range app.logsWith("micro started") {
		if entry["micro"] == "api" {
			apiPIDs = append(apiPIDs, entry["pid"])
		}
	}
	require.Len(t, apiPIDs, 2)
	assert.NotEqual(t, apiPIDs[0], apiPIDs[1])

	assert.Equal(t, 0, app.stop(syscall.SIGINT))
	assert.Empty(t, app.survivors())
}

func TestCrashBeyondMaxRestartsStopsApp(t *testing.T) {
	t.Parallel()
	dir := newProjectWith(t, crashSpacefile)
	app := startApp(t, dir, nil, "--max-restarts", "0")
	crashAPI(t, app, apiKey(t, dir))

	assert.Equal(t, 1, app.wait())
	assert.Contains(t, app.stderr.String(),
		`Micro "api" crashed (exit code 3) more than --max-restarts=0 times in a row`)
	assert.Empty(t, app.survivors())
}

// TestRestartKeepsKeysAndSessions checks that the state folder keeps DETA_API_KEY and the
// session signing key from one run to the next.
func TestRestartKeepsKeysAndSessions(t *testing.T) {
	t.Parallel()
	dir := newProjectWith(t, crashSpacefile)
	first := startApp(t, dir, nil)
	key := apiKey(t, dir)
	browser := newHTTPClient(t, true)
	require.Equal(t, 302, do(t, browser, "GET", first.loginURL, nil).status)
	require.Equal(t, 0, first.stop(syscall.SIGINT))

	second := startApp(t, dir, nil)
	assert.Equal(t, key, apiKey(t, dir))
	assert.Equal(t, sha256Hex(key), microEnvOf(t, second, key, "/api")["DETA_API_KEY"])
	resp := do(t, browser, "GET", second.url+"/api/", nil)
	assert.Equal(t, 200, resp.status, "the first run's session cookie still works: %s", resp.body)

	ignore, err := os.ReadFile(filepath.Join(dir, stateDirName, ".gitignore"))
	require.NoError(t, err)
	assert.Equal(t, "*\n", string(ignore))
}

func TestSecondUpIsRejected(t *testing.T) {
	t.Parallel()
	dir := newProjectWith(t, crashSpacefile)
	first := startApp(t, dir, nil)

	second := launch(t, dir, nil)
	assert.Equal(t, 1, second.wait())
	assert.Contains(t, second.stderr.String(), "spacedev up already serves this project at "+
		first.url)
	assert.Empty(t, second.microPIDs())
	assert.Equal(t, 0, first.stop(syscall.SIGINT))
}

func TestNoAuth(t *testing.T) {
	t.Parallel()
	dir := newProjectWith(t, crashSpacefile)
	app := startApp(t, dir, nil, "--no-auth")

	assert.Contains(t, app.stdout.String(),
		"spacedev: authentication is off (--no-auth): every route is public\n")
	assert.Empty(t, app.loginURL)
	resp := do(t, newHTTPClient(t, false), "GET", app.url+"/api/x", nil)
	assert.Equal(t, 200, resp.status, resp.body)
	env := microEnvOf(t, app, "", "/api")
	assert.NotContains(t, env, "SPACEKIT_SESSION_KEY", "no sessions, so no session key")
	assert.NotContains(t, env, "SPACEKIT_SESSION_COOKIE")
	stdout, stderr, code := runSpacedev(t, nil, "env", dir, "api")
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, stdout, "SPACEKIT_SESSION_KEY", "spacedev env follows --no-auth")

	_, stderr, code = runSpacedev(t, nil, "login", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "authentication is off (--no-auth)")
	assert.Equal(t, 0, app.stop(syscall.SIGINT))
}

// devSpacefile gives api a dev command that needs a shell, and a run command that fails, and
// gives web only a run command.
const devSpacefile = `v: 0
micros:
  - name: web
    src: web
    engine: custom
    primary: true
    run: ./web-micro
  - name: api
    src: api
    engine: custom
    run: echo the run command must not start; exit 7
    dev: test -x ./api-micro && ./api-micro
`

// TestUpStartsDevCommandThroughShell checks that --command dev starts a Micro's dev command
// through "sh -c" in its src folder, so "&&" works, and falls back to run for a Micro without
// one.
func TestUpStartsDevCommandThroughShell(t *testing.T) {
	t.Parallel()
	dir := newProjectWith(t, devSpacefile)
	app := startApp(t, dir, nil, "--command", "dev", "--on-crash", "stop")
	key := apiKey(t, dir)

	for _, prefix := range []string{"/api/", "/"} {
		resp := do(t, newHTTPClient(t, false), "GET", app.url+prefix,
			map[string]string{"X-API-Key": key})
		require.Equal(t, 200, resp.status, resp.body)
	}
	assert.Equal(t, "api", microEnvOf(t, app, key, "/api")["DETA_SPACE_APP_MICRO_NAME"])
	assert.Equal(t, "web", microEnvOf(t, app, key, "")["DETA_SPACE_APP_MICRO_NAME"])
	assert.NotContains(t, app.stdout.String(), "the run command must not start")
	assert.Len(t, app.microPIDs(), 2)

	assert.Equal(t, 0, app.stop(syscall.SIGTERM), "stderr:\n%s", app.stderr)
	assert.Empty(t, app.survivors())
}

// presetSpacefile gives web a preset with a default, and a public route that returns it.
const presetSpacefile = `v: 0
micros:
  - name: web
    src: web
    engine: custom
    primary: true
    run: ./web-micro
    public_routes:
      - "/public/*"
    presets:
      env:
        - name: APP_GREETING
          default: hello
`

// TestUpEmptyShellValueKeepsPresetDefault checks that a preset set to the empty string in the
// shell counts as unset, so the Micro receives the Spacefile's default. TestApp covers a
// non-empty shell value, which overrides the default.
func TestUpEmptyShellValueKeepsPresetDefault(t *testing.T) {
	t.Parallel()
	dir := newProjectWith(t, presetSpacefile)
	app := startApp(t, dir, []string{"APP_GREETING="})

	resp := do(t, newHTTPClient(t, false), "GET", app.url+"/public/hello", nil)
	require.Equal(t, 200, resp.status, resp.body)
	assert.JSONEq(t, `{"greeting":"hello"}`, resp.body)
	assert.Equal(t, "hello", microEnvOf(t, app, apiKey(t, dir), "")["APP_GREETING"])

	assert.Equal(t, 0, app.stop(syscall.SIGINT), "stderr:\n%s", app.stderr)
	assert.Empty(t, app.survivors())
}
