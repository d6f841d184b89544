//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// copyDir copies the files of the folder src, recursively, into a new temporary folder and
// returns it.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	require.NoError(t, err)
	return dst
}

// The run command of testdata/build starts a binary that only its build commands create, so
// the app serves only when spacedev runs them first, in order, with the Micro's environment.
func TestUpRunsBuildCommands(t *testing.T) {
	t.Parallel()
	dir := copyDir(t, "testdata/build")
	require.NoFileExists(t, filepath.Join(dir, "hello", "server"))

	app := startApp(t, dir, nil)
	resp := do(t, newHTTPClient(t, false), "GET", app.url+"/", nil)
	assert.Equal(t, 200, resp.status)
	assert.Equal(t, "hello from a built binary\n", resp.body)

	assert.Contains(t, app.stdout.String(), "hello | building hello in hello\n",
		"build output is prefixed with the Micro's name")
	assert.FileExists(t, filepath.Join(dir, "hello", "server"))
	finished := app.logsWith("build command finished")
	require.Len(t, finished, 2, app.stderr.String())
	assert.Equal(t, float64(1), finished[0]["step"])
	assert.Equal(t, float64(2), finished[1]["step"])
	assert.Len(t, app.microPIDs(), 1, "only the run command counts as the Micro's process")

	require.Equal(t, 0, app.stop(syscall.SIGINT), "stderr:\n%s", app.stderr)
	assert.Empty(t, app.survivors())
}

// A build command that fails stops "spacedev up" before any Micro starts. The error names the
// Micro, the command, its exit code and its last output, and later commands do not run.
func TestUpBuildCommandFails(t *testing.T) {
	t.Parallel()
	dir := newProjectWith(t, spacefileWith("./api-micro", "    commands:\n"+
		"      - echo compiling\n"+
		"      - echo 'main.go:3 undefined x' >&2; exit 3\n"+
		"      - touch never-runs\n"))

	app := launch(t, dir, nil)
	assert.Equal(t, 1, app.wait())
	stderr := app.stderr.String()
	assert.Contains(t, stderr, `spacedev: Micro "api": build command 2 of 3 "echo 'main.go:3 `+
		`undefined x' >&2; exit 3" failed (exit code 3)`)
	assert.Contains(t, stderr, "last output:\n    main.go:3 undefined x\n")
	assert.Contains(t, app.stdout.String(), "api | compiling\n", "the first command ran")
	assert.NoFileExists(t, filepath.Join(dir, "api", "never-runs"))
	assert.Empty(t, app.microPIDs(), "no Micro starts")
	assert.Empty(t, app.survivors())
	assert.NotContains(t, app.stdout.String(), "the app runs at")
	assert.NoFileExists(t, filepath.Join(dir, stateDirName, runFileName))
}

// A build command that is still running when spacedev gets SIGINT is stopped with its whole
// process group, and spacedev exits with status 0.
func TestUpBuildCommandStopsOnSignal(t *testing.T) {
	t.Parallel()
	dir := newProjectWith(t, spacefileWith("./api-micro", "    commands:\n"+
		"      - echo waiting; sleep 60 & wait\n"))

	app := launch(t, dir, nil)
	eventually(t, "the build command's output", func() bool {
		return strings.Contains(app.stdout.String(), "api | waiting")
	})
	started := app.logsWith("build command started")
	require.Len(t, started, 1)

	assert.Equal(t, 0, app.stop(syscall.SIGINT), "stderr:\n%s", app.stderr)
	assert.Len(t, app.logsWith("build command stopping"), 1)
	assert.Empty(t, app.microPIDs(), "no Micro starts")
	assert.Empty(t, app.buildSurvivors())
}

// With the dev command, the Micro's commands do not run, because the dev command builds for
// itself. Here they would fail.
func TestUpDevSkipsBuildCommands(t *testing.T) {
	t.Parallel()
	dir := newProjectWith(t, spacefileWith("./api-micro", "    dev: ./api-micro\n"+
		"    commands:\n      - exit 1\n"))

	app := startApp(t, dir, nil, "--command", "dev")
	skipped := app.logsWith("build commands skipped: the dev command builds for itself")
	require.Len(t, skipped, 1, app.stderr.String())
	assert.Equal(t, "api", skipped[0]["micro"])
	assert.Empty(t, app.logsWith("build command started"))
	require.Equal(t, 0, app.stop(syscall.SIGINT), "stderr:\n%s", app.stderr)
}

// TestCheckShowsBuildCommands checks that "spacedev check --command run" shows which Micros
// run build commands first.
func TestCheckShowsBuildCommands(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runSpacedev(t, nil, "check", "--command", "run", "testdata/build")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "run: ./server (after 2 build commands)")

	stdout, stderr, code = runSpacedev(t, nil, "check", "testdata/app")
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, stdout, "build command", "dev commands build for themselves")
}

// buildSurvivors returns the running processes, zombies excluded, of the process groups of
// the build commands spacedev started.
func (p *appProcess) buildSurvivors() []int {
	var alive []int
	for _, entry := range p.logsWith("build command started") {
		if pid, ok := entry["pid"].(float64); ok {
			alive = append(alive, groupMembers(int(pid))...)
		}
	}
	return alive
}
