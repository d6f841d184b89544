//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spacekit/spacekit/internal/testbuf"

	"github.com/stretchr/testify/require"
)

// Bounds of the waits in the end-to-end tests. They only stop a broken run; a passing run
// takes a fraction of them.
const (
	readyTimeout = 30 * time.Second
	exitTimeout  = 30 * time.Second
	pollInterval = 20 * time.Millisecond
)

// microLinks maps each src folder of the test app to the binary its run command starts.
var microLinks = map[string]string{"web": "web-micro", "api": "api-micro",
	"worker": "worker-micro"}

// buildSteps matches a Micro's commands in testdata/app/Spacefile.
var buildSteps = regexp.MustCompile(`(?m)^    commands:\n(?:      - .*\n)+`)

// newProject returns a temporary copy of testdata/app whose src folders hold links to the
// prebuilt Micros, so "--command run" starts them without compiling. The copy's Spacefile has
// no commands, because its go build steps need the Micros' sources.
func newProject(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/app/Spacefile")
	require.NoError(t, err)
	spacefile := buildSteps.ReplaceAllString(string(data), "")
	require.NotContains(t, spacefile, "commands:")
	return newProjectWith(t, spacefile)
}

// newProjectWith is [newProject] with another Spacefile. It creates the folders web, api,
// worker and docs/dist whatever the Spacefile contains.
func newProjectWith(t *testing.T, spacefile string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Spacefile"), []byte(spacefile), 0o644))
	for src, name := range microLinks {
		require.NoError(t, os.Mkdir(filepath.Join(dir, src), 0o755))
		require.NoError(t, os.Symlink(filepath.Join(microBinDir, src),
			filepath.Join(dir, src, name)))
	}
	index, err := os.ReadFile("testdata/app/docs/dist/index.html")
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "docs", "dist"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "docs", "dist", "index.html"), index,
		0o644))
	return dir
}

// appProcess is a running "spacedev up".
type appProcess struct {
	t        *testing.T
	dir      string
	cmd      *exec.Cmd
	stdout   *testbuf.Buffer
	stderr   *testbuf.Buffer
	exited   chan struct{}
	url      string
	loginURL string
}

var (
	appURLLine   = regexp.MustCompile(`the app runs at (http://\S+)`)
	loginURLLine = regexp.MustCompile(`(http://\S+/__space/login\?token=\S+)`)
)

// launch starts "spacedev up" on a free loopback port with JSON logs and the run commands,
// adding env to the test's environment. It does not wait for the app.
func launch(t *testing.T, dir string, env []string, args ...string) *appProcess {
	t.Helper()
	full := append([]string{"up", "--addr", "127.0.0.1:0", "--command", "run",
		"--log-format", "json", "--stop-timeout", "2s"}, args...)
	cmd := exec.Command(spacedevBin, append(full, dir)...)
	cmd.Env = append(os.Environ(), env...)
	p := &appProcess{t: t, dir: dir, cmd: cmd, stdout: &testbuf.Buffer{},
		stderr: &testbuf.Buffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	require.NoError(t, cmd.Start())
	go func() {
		_ = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(p.cleanUp)
	return p
}

// startApp launches "spacedev up" and waits until it prints the app's URL.
func startApp(t *testing.T, dir string, env []string, args ...string) *appProcess {
	t.Helper()
	p := launch(t, dir, env, args...)
	p.waitReady()
	return p
}

func (p *appProcess) waitReady() {
	p.t.Helper()
	deadline := time.Now().Add(readyTimeout)
	for time.Now().Before(deadline) {
		if m := appURLLine.FindStringSubmatch(p.stdout.String()); m != nil {
			p.url = m[1]
			if login := loginURLLine.FindStringSubmatch(p.stdout.String()); login != nil {
				p.loginURL = login[1]
			}
			return
		}
		select {
		case <-p.exited:
			p.t.Fatalf("spacedev up exited before serving (%s)\nstdout:\n%s\nstderr:\n%s",
				p.cmd.ProcessState, p.stdout, p.stderr)
		case <-time.After(pollInterval):
		}
	}
	p.t.Fatalf("spacedev up did not serve within %s\nstdout:\n%s\nstderr:\n%s",
		readyTimeout, p.stdout, p.stderr)
}

// stop sends sig and returns the exit code.
func (p *appProcess) stop(sig syscall.Signal) int {
	p.t.Helper()
	require.NoError(p.t, p.cmd.Process.Signal(sig))
	return p.wait()
}

// wait waits for spacedev to exit and returns its exit code.
func (p *appProcess) wait() int {
	p.t.Helper()
	select {
	case <-p.exited:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(exitTimeout):
		p.t.Fatalf("spacedev did not exit within %s\nstderr:\n%s", exitTimeout, p.stderr)
		return -1
	}
}

// cleanUp stops a spacedev that a failed test left running, and every Micro it started.
func (p *appProcess) cleanUp() {
	select {
	case <-p.exited:
	default:
		_ = p.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-p.exited:
		case <-time.After(exitTimeout):
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	}
	for _, pid := range p.microPIDs() {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}
}

// logs returns spacedev's JSON log lines.
func (p *appProcess) logs() []map[string]any {
	var lines []map[string]any
	for line := range strings.SplitSeq(p.stderr.String(), "\n") {
		var entry map[string]any
		if json.Unmarshal([]byte(line), &entry) == nil {
			lines = append(lines, entry)
		}
	}
	return lines
}

// logsWith returns the log lines whose msg is msg.
func (p *appProcess) logsWith(msg string) []map[string]any {
	var out []map[string]any
	for _, entry := range p.logs() {
		if entry["msg"] == msg {
			out = append(out, entry)
		}
	}
	return out
}

// microPIDs returns the process IDs, which are also the process group IDs, of every Micro
// process spacedev started, restarts included.
func (p *appProcess) microPIDs() []int {
	var pids []int
	for _, entry := range p.logsWith("micro started") {
		if pid, ok := entry["pid"].(float64); ok {
			pids = append(pids, int(pid))
		}
	}
	return pids
}

// survivors returns the running processes, zombies excluded, of the process groups spacedev
// started.
func (p *appProcess) survivors() []int {
	var alive []int
	for _, pgid := range p.microPIDs() {
		alive = append(alive, groupMembers(pgid)...)
	}
	return alive
}

// apiKey returns the project's DETA_API_KEY from its state folder.
func apiKey(t *testing.T, dir string) string {
	t.Helper()
	keys, err := readKeys(filepath.Join(dir, stateDirName, keysFileName))
	require.NoError(t, err)
	return keys.APIKey.Reveal()
}

// runSpacedev runs a spacedev command to its end and returns its output and exit code.
func runSpacedev(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), exitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, spacedevBin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run spacedev %v: %v", args, err)
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

// newHTTPClient returns a client that follows no redirect, with a cookie jar when browser is
// set. Its idle connections are closed when the test ends.
func newHTTPClient(t *testing.T, browser bool) *http.Client {
	t.Helper()
	transport := &http.Transport{Proxy: nil}
	t.Cleanup(transport.CloseIdleConnections)
	client := &http.Client{
		Transport: transport,
		Timeout:   readyTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	if browser {
		jar, err := cookiejar.New(nil)
		require.NoError(t, err)
		client.Jar = jar
	}
	return client
}

// response is a finished HTTP exchange.
type response struct {
	status int
	header http.Header
	body   string
}

// do sends a request with the given headers and reads the whole response.
func do(t *testing.T, client *http.Client, method, url string, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	for name, value := range header {
		req.Header.Set(name, value)
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

// eventually polls cond until it holds or the ready timeout passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(readyTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", readyTimeout, what)
		}
		time.Sleep(pollInterval)
	}
}
