package reliability

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spacekit/spacekit/internal/testbuf"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Keys of the notes app under spacedev. They are written to the project's .spacedev/keys.json
// before spacedev starts, so spacedev gives them to every Micro instead of generating its own.
const (
	canaryAPIKey     = "RELIABILITYCANARYAPIKEY7Q4Z"
	canaryProjectKey = "canary01_RELIABILITYCANARYPROJECTKEY"
)

// canarySessionKey signs the session cookies; it is 32 bytes, spacedev's minimum.
var canarySessionKey = []byte("reliability-canary-session-key!!")

const (
	// appStartTimeout bounds the wait for "spacedev up" to print its login URL: "go run ."
	// builds each Micro first.
	appStartTimeout = 2 * time.Minute

	// appStopTimeout bounds the wait for "spacedev up" to exit after SIGINT. It is the
	// command's WaitDelay, after which os/exec kills spacedev, and the test fails.
	appStopTimeout = 30 * time.Second
)

var loginURLPattern = regexp.MustCompile(`(http://\S+)/__space/login\?token=\S+`)

// notesApp is the notes example running under "spacedev up" as a real process.
type notesApp struct {
	spacedev string // the spacedev binary
	dir      string // the copy of the app
	env      []string
	cmd      *exec.Cmd
	stop     context.CancelFunc // makes os/exec send SIGINT to spacedev
	output   *testbuf.Buffer    // spacedev's standard output and error, with every Micro's output
	exited   chan struct{}
	err      error
	url      string
	loginURL string
}

func TestSecretsNotesApp(t *testing.T) {
	t.Parallel()
	app := startNotesApp(t)
	seen := &exposure{}
	browser := newLoopbackClient(t, true)
	anonymous := newLoopbackClient(t, false)

	resp := app.send(t, browser, http.MethodGet, app.loginURL, nil, nil)
	require.Equal(t, http.StatusFound, resp.status, resp.body)
	app.notesFlows(t, browser, anonymous, seen)
	app.commandFlows(t, seen)
	app.interrupt(t)
	app.checkNoMicroLeft(t)

	seen.add("spacedev up output", app.output.String())
	secrets := map[string]string{"DETA_API_KEY": canaryAPIKey,
		"DETA_PROJECT_KEY": canaryProjectKey}
	for i, form := range keyForms(canarySessionKey) {
		secrets[fmt.Sprintf("session key form %d", i)] = form
	}
	seen.check(t, secrets)
	assert.Contains(t, app.output.String(), "level=DEBUG", "spacedev logs at debug level")
}

// notesFlows drives the notes app with a session, with the key, with wrong keys and
// anonymously, and records every response body.
func (a *notesApp) notesFlows(t *testing.T, browser, anonymous *http.Client, seen *exposure) {
	withKey := http.Header{"X-Api-Key": {canaryAPIKey}, "Accept": {"application/json"}}
	note := map[string]any{"text": "a note"}
	steps := []struct {
		name   string
		client *http.Client
		method string
		path   string
		header http.Header
		body   any
		want   int
	}{
		{"session creates", browser, http.MethodPost, "/api/notes", nil, note, 201},
		{"key creates", anonymous, http.MethodPost, "/api/notes", withKey, note, 201},
		{"key lists", anonymous, http.MethodGet, "/api/notes", withKey, nil, 200},
		{"wrong key", anonymous, http.MethodGet, "/api/notes",
			http.Header{"X-Api-Key": {"WRONG" + canaryAPIKey}}, nil, 401},
		{"repeated key", anonymous, http.MethodGet, "/api/notes",
			http.Header{"X-Api-Key": {canaryAPIKey, canaryAPIKey}}, nil, 401},
		{"unknown share", anonymous, http.MethodGet, "/share/NOSUCHTOKEN", nil, nil, 404},
		{"control with wrong key", anonymous, http.MethodPost, "/__spacedev/login",
			http.Header{"X-Api-Key": {"WRONG" + canaryAPIKey}}, nil, 401},
		// With Expect: 100-continue the client sends the body only if the router requests
		// it, so the router's early 413 does not race the client's writes.
		{"body too large", browser, http.MethodPost, "/api/notes",
			http.Header{"Expect": {"100-continue"}},
			map[string]string{"text": strings.Repeat("x", 6<<20)}, 413},
	}
	for _, step := range steps {
		resp := a.send(t, step.client, step.method, a.url+step.path, step.header, step.body)
		assert.Equal(t, step.want, resp.status, "%s: %s", step.name, resp.body)
		seen.add(step.name, resp.body)
	}
	a.shareFlow(t, browser, anonymous, seen)
}

// shareFlow shares a note, which the web Micro then fetches from the api Micro with the key
// to render the public page.
func (a *notesApp) shareFlow(t *testing.T, browser, anonymous *http.Client, seen *exposure) {
	resp := a.send(t, browser, http.MethodGet, a.url+"/api/notes", nil, nil)
	require.Equal(t, http.StatusOK, resp.status, resp.body)
	var notes []struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal([]byte(resp.body), &notes))
	require.NotEmpty(t, notes)
	resp = a.send(t, browser, http.MethodPatch, a.url+"/api/notes/"+notes[0].ID, nil,
		map[string]bool{"shared": true})
	require.Equal(t, http.StatusOK, resp.status, resp.body)
	var shared struct {
		ShareToken string `json:"share_token"`
	}
	require.NoError(t, json.Unmarshal([]byte(resp.body), &shared))
	resp = a.send(t, anonymous, http.MethodGet, a.url+"/share/"+shared.ShareToken, nil, nil)
	assert.Equal(t, http.StatusOK, resp.status, resp.body)
	seen.add("share page", resp.body)
}

// commandFlows runs spacedev's other commands against the running app.
func (a *notesApp) commandFlows(t *testing.T, seen *exposure) {
	out := a.run(t, "trigger", a.dir, "collect-stats")
	assert.True(t, strings.HasPrefix(out, "action collect-stats: 200 OK\n"), out)
	seen.add("spacedev trigger", out)
	for _, args := range [][]string{{"env", a.dir, "api"}, {"env", a.dir, "worker"},
		{"check", a.dir}, {"login", a.dir}} {
		seen.add("spacedev "+strings.Join(args, " "), a.run(t, args...))
	}
}

func startNotesApp(t *testing.T) *notesApp {
	t.Helper()
	a := &notesApp{spacedev: buildSpacedev(t), output: &testbuf.Buffer{}, exited: make(chan struct{})}
	a.dir, a.env = copyNotesApp(t)
	writeCanaryKeys(t, a.dir)
	ctx, stop := context.WithCancel(context.Background())
	a.stop = stop
	a.cmd = exec.CommandContext(ctx, a.spacedev, "up", "--addr", "127.0.0.1:0", "--log-level",
		"debug", a.dir)
	// Canceling ctx sends SIGINT, as Ctrl-C does, so spacedev stops its Micros' process
	// groups before it exits. SIGKILL would leave the Micros running.
	a.cmd.Cancel = func() error { return a.cmd.Process.Signal(os.Interrupt) }
	a.cmd.WaitDelay = appStopTimeout
	a.cmd.Env = a.env
	a.cmd.Stdout, a.cmd.Stderr = a.output, a.output
	a.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, a.cmd.Start())
	go func() {
		a.err = a.cmd.Wait()
		close(a.exited)
	}()
	t.Cleanup(a.stopAndWait)
	a.waitForLogin(t)
	return a
}

// buildSpacedev builds cmd/spacedev into a temporary folder.
func buildSpacedev(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "spacedev")
	cmd := exec.Command("go", "build", "-o", path, "./cmd/spacedev")
	cmd.Dir = repoRoot(t)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build ./cmd/spacedev: %s", out)
	return path
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	return root
}

// copyNotesApp copies examples/notes into a temporary folder as a module of its own, in a Go
// workspace with this repository, and returns the folder and the environment that selects the
// workspace. DATA_DIR is removed, so the Spacefile's defaults apply.
func copyNotesApp(t *testing.T) (string, []string) {
	t.Helper()
	src := filepath.Join(repoRoot(t), "examples", "notes")
	root := t.TempDir()
	dir := filepath.Join(root, "notes")
	for _, micro := range []string{"web", "api", "worker"} {
		require.NoError(t, os.CopyFS(filepath.Join(dir, micro),
			os.DirFS(filepath.Join(src, micro))))
	}
	spacefile, err := os.ReadFile(filepath.Join(src, "Spacefile"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Spacefile"), spacefile, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"),
		[]byte("module example.com/notes\n\ngo 1.26.0\n"), 0o600))
	work := filepath.Join(root, "go.work")
	require.NoError(t, os.WriteFile(work, []byte(fmt.Sprintf(
		"go 1.26.0\n\nuse (\n\t./notes\n\t%s\n)\n", repoRoot(t))), 0o600))

	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name != "GOWORK" && name != "DATA_DIR" {
			env = append(env, kv)
		}
	}
	return dir, append(env, "GOWORK="+work)
}

// writeCanaryKeys writes the canary keys where spacedev looks for the project's keys.
func writeCanaryKeys(t *testing.T, dir string) {
	t.Helper()
	state := filepath.Join(dir, ".spacedev")
	require.NoError(t, os.MkdirAll(state, 0o700))
	keys, err := json.Marshal(map[string]string{
		"api_key":     canaryAPIKey,
		"project_key": canaryProjectKey,
		"session_key": base64.StdEncoding.EncodeToString(canarySessionKey),
	})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(state, "keys.json"), keys, 0o600))
}

func (a *notesApp) waitForLogin(t *testing.T) {
	t.Helper()
	deadline := time.After(appStartTimeout)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if m := loginURLPattern.FindStringSubmatch(a.output.String()); m != nil {
			a.loginURL, a.url = m[0], m[1]
			return
		}
		select {
		case <-a.exited:
			t.Fatalf("spacedev up exited before it printed a login URL: %v\n%s", a.err,
				a.output)
		case <-deadline:
			t.Fatalf("spacedev up printed no login URL within %v:\n%s", appStartTimeout,
				a.output)
		case <-tick.C:
		}
	}
}

// run runs another spacedev command and returns its standard output and error.
func (a *notesApp) run(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, a.spacedev, args...)
	cmd.Env = a.env
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "spacedev %s: %s", strings.Join(args, " "), out)
	return string(out)
}

// interrupt stops spacedev with SIGINT through the command's context and requires that it
// exits with status 0 before WaitDelay.
func (a *notesApp) interrupt(t *testing.T) {
	t.Helper()
	a.stopAndWait()
	require.ErrorIs(t, a.err, context.Canceled, "spacedev up:\n%s", a.output)
	require.True(t, a.cmd.ProcessState.Success(), "exit status of spacedev up: %v\n%s",
		a.cmd.ProcessState, a.output)
}

// stopAndWait sends SIGINT to spacedev, if it still runs, and waits for it to exit. It is
// also the cleanup of a test that failed before interrupt.
func (a *notesApp) stopAndWait() {
	a.stop()
	<-a.exited
}

// microStartedPattern matches the log line in which spacedev names a Micro's process.
var microStartedPattern = regexp.MustCompile(`msg="micro started" micro=(\S+) pid=(\d+)`)

// checkNoMicroLeft requires that spacedev started the notes app's three Micros and that,
// after it exited, no process is left of any Micro's process group or in the app's folder.
func (a *notesApp) checkNoMicroLeft(t *testing.T) {
	t.Helper()
	started := microStartedPattern.FindAllStringSubmatch(a.output.String(), -1)
	assert.Len(t, started, 3, "micros started:\n%s", a.output)
	for _, m := range started {
		pid, err := strconv.Atoi(m[2])
		require.NoError(t, err)
		// spacedev starts each Micro as the leader of its own process group.
		assert.Empty(t, groupMembers(pid), "process group %d of micro %s", pid, m[1])
	}
	assert.Empty(t, processesIn(a.dir), "processes still running in %s", a.dir)
}

// groupMembers returns the processes of the process group pgid that have not exited, as
// "pid state command", from the fields of /proc/<pid>/stat. It leaves out zombies (state Z or
// X), which have exited and wait for a parent to reap them. A Micro's "go run" and its
// program are children of the shell that spacedev starts. When the shell exits first, they
// become orphans that init reaps a moment later. It returns nil where /proc does not exist.
func groupMembers(pgid int) []string {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var found []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// The command is in parentheses and may contain spaces. The fields after it are
		// state, ppid and pgrp.
		end := strings.LastIndexByte(string(stat), ')')
		fields := strings.Fields(string(stat[end+1:]))
		if end < 0 || len(fields) < 3 || fields[2] != strconv.Itoa(pgid) ||
			fields[0] == "Z" || fields[0] == "X" {
			continue
		}
		command := string(stat[strings.IndexByte(string(stat), '(')+1 : end])
		found = append(found, e.Name()+" "+fields[0]+" "+command)
	}
	return found
}

// processesIn returns the processes, as "pid command", whose working directory is dir or
// below it, as Linux lists them in /proc. It returns nil where /proc does not exist.
func processesIn(dir string) []string {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var found []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		cwd, err := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		if err != nil || (cwd != dir && !strings.HasPrefix(cwd, dir+string(filepath.Separator))) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		found = append(found, e.Name()+" "+strings.ReplaceAll(string(cmdline), "\x00", " "))
	}
	return found
}

// response is a status and a body read in full.
type response struct {
	status int
	body   string
}

// send sends a request with a JSON body, when in is not nil, and reads the response.
func (a *notesApp) send(t *testing.T, hc *http.Client, method, url string, header http.Header,
	in any) response {
	t.Helper()
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		require.NoError(t, err)
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, url, body)
	require.NoError(t, err)
	for name, values := range header {
		req.Header[name] = values
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, body: string(data)}
}

// newLoopbackClient returns a client that follows no redirect and keeps no connection open,
// with a cookie jar when withJar is true.
func newLoopbackClient(t *testing.T, withJar bool) *http.Client {
	t.Helper()
	hc := &http.Client{
		Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true,
			ExpectContinueTimeout: 10 * time.Second},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
		Timeout: 30 * time.Second,
	}
	if withJar {
		jar, err := cookiejar.New(nil)
		require.NoError(t, err)
		hc.Jar = jar
	}
	return hc
}
