package notes_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/spacekit/spacekit/internal/testbuf"

	"github.com/stretchr/testify/require"
)

const (
	// startTimeout bounds the wait for "spacedev up" to print its login URL. "go run ." compiles
	// each Micro first, which takes a few seconds with a warm build cache.
	startTimeout = 4 * time.Minute

	// stopTimeout bounds the wait for "spacedev up" to exit after SIGINT.
	stopTimeout = 30 * time.Second
)

// appFolders are the src folders of the notes app's Micros, which a test copies with the
// Spacefile.
var appFolders = []string{"web", "api", "worker"}

var (
	buildOnce sync.Once
	buildErr  error
)

// spacedevPath returns the spacedev binary, which it builds on the first call. That call also
// compiles the Micros once and discards the result, which fills the build cache, so that
// "go run ." under spacedev only links and three Micros do not compile the same packages at
// once.
func spacedevPath(t *testing.T) string {
	t.Helper()
	path := filepath.Join(binDir, "spacedev")
	buildOnce.Do(func() {
		buildErr = goBuild(t, "-o", path, "./cmd/spacedev")
		if buildErr == nil {
			buildErr = goBuild(t, "./examples/notes/web", "./examples/notes/api",
				"./examples/notes/worker")
		}
	})
	require.NoError(t, buildErr)
	return path
}

// goBuild runs "go build args..." in the repository.
func goBuild(t *testing.T, args ...string) error {
	cmd := exec.Command("go", append([]string{"build"}, args...)...)
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// repoRoot returns the module's root folder, two levels above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	return root
}

// copyApp copies the notes app into a temporary folder and returns the copy's folder, so that
// spacedev's state and the app's data never land in the repository. The copy is a module of
// its own in a Go workspace with the repository, so "go run ." in each Micro's folder builds
// against this spacekit. The returned environment selects that workspace.
func copyApp(t *testing.T) (dir string, env []string) {
	t.Helper()
	root := t.TempDir()
	dir = filepath.Join(root, "notes")
	for _, name := range appFolders {
		require.NoError(t, os.CopyFS(filepath.Join(dir, name), os.DirFS(name)))
	}
	spacefile, err := os.ReadFile("Spacefile")
	require.NoError(t, err)
	writeFile(t, filepath.Join(dir, "Spacefile"), string(spacefile))

	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/notes\n\ngo 1.26.0\n")
	work := filepath.Join(root, "go.work")
	writeFile(t, work, fmt.Sprintf("go 1.26.0\n\nuse (\n\t./notes\n\t%s\n)\n", repoRoot(t)))
	return dir, appEnv(work)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
}

// appEnv returns the test's environment with GOWORK set to work. DATA_DIR is removed, because
// spacedev would give the shell's value to every Micro in place of the Spacefile's defaults.
func appEnv(work string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name != "GOWORK" && name != "DATA_DIR" {
			env = append(env, kv)
		}
	}
	return append(env, "GOWORK="+work)
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// devApp is one running "spacedev up" process.
type devApp struct {
	dir      string
	URL      string // the app's URL, such as http://127.0.0.1:4200
	LoginURL string // the one-time login URL that spacedev printed

	cmd    *exec.Cmd
	output *testbuf.Buffer
	exited chan struct{} // closed when the process has exited
	err    error         // the process's exit error, set before exited closes
}

// loginURLPattern matches the one-time login URL in spacedev's output.
var loginURLPattern = regexp.MustCompile(`(http://\S+)/__space/login\?token=\S+`)

// startApp runs "spacedev up --addr addr dir" and waits until it prints the login URL. A
// cleanup kills whatever is left of it when the test ends.
func startApp(t *testing.T, dir string, env []string, addr string) *devApp {
	t.Helper()
	app := &devApp{dir: dir, output: &testbuf.Buffer{}, exited: make(chan struct{})}
	// A longer --start-timeout than the default leaves room for a slow, shared machine.
	app.cmd = exec.Command(spacedevPath(t), "up", "--addr", addr, "--start-timeout", "3m", dir)
	app.cmd.Env = env
	app.cmd.Stdout = app.output
	app.cmd.Stderr = app.output
	app.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, app.cmd.Start())
	go func() {
		app.err = app.cmd.Wait()
		close(app.exited)
	}()
	t.Cleanup(func() { app.kill(t) })

	app.waitForLogin(t)
	return app
}

// waitForLogin polls the output for the login URL.
func (a *devApp) waitForLogin(t *testing.T) {
	t.Helper()
	deadline := time.After(startTimeout)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if m := loginURLPattern.FindStringSubmatch(a.output.String()); m != nil {
			a.LoginURL, a.URL = m[0], m[1]
			return
		}
		select {
		case <-a.exited:
			t.Fatalf("spacedev up exited before it printed a login URL: %v\n%s", a.err,
				a.output)
		case <-deadline:
			t.Fatalf("spacedev up printed no login URL within %s:\n%s", startTimeout, a.output)
		case <-tick.C:
		}
	}
}

// interrupt sends SIGINT to spacedev, as Ctrl-C in a terminal does, and checks that it exits
// with status 0 and leaves none of the processes that it started running.
func (a *devApp) interrupt(t *testing.T) {
	t.Helper()
	started := descendants(a.cmd.Process.Pid)
	require.GreaterOrEqual(t, len(started), 3, "each Micro runs at least one process; "+
		"output of spacedev up:\n%s", a.output)
	require.NoError(t, a.cmd.Process.Signal(os.Interrupt))

	select {
	case <-a.exited:
	case <-time.After(stopTimeout):
		t.Fatalf("spacedev up still runs %s after SIGINT:\n%s", stopTimeout, a.output)
	}
	require.NoError(t, a.err, "exit status of spacedev up:\n%s", a.output)
	defer func() {
		if t.Failed() {
			t.Logf("output of spacedev up:\n%s", a.output)
		}
	}()
	for _, p := range started {
		require.False(t, p.running(), "process %d (%s) still runs after spacedev exited",
			p.pid, p.command)
		require.Empty(t, groupMembers(p.pgid), "process group %d still has processes", p.pgid)
	}
}

// kill stops a spacedev that a failed test left running, with every process it started. It
// sends SIGINT first, so spacedev stops its Micros itself, and kills the process groups only
// when spacedev is still running stopTimeout later.
func (a *devApp) kill(t *testing.T) {
	select {
	case <-a.exited:
		return
	default:
	}
	started := descendants(a.cmd.Process.Pid)
	_ = a.cmd.Process.Signal(os.Interrupt)
	select {
	case <-a.exited:
		t.Logf("spacedev up was still running and stopped on SIGINT; its output:\n%s",
			a.output)
		return
	case <-time.After(stopTimeout):
	}
	for _, p := range append(started, descendants(a.cmd.Process.Pid)...) {
		_ = syscall.Kill(-p.pgid, syscall.SIGKILL)
	}
	_ = syscall.Kill(-a.cmd.Process.Pid, syscall.SIGKILL)
	<-a.exited
	t.Logf("spacedev up was still running; its output:\n%s", a.output)
}

// spacedev runs a spacedev command other than "up" and returns its standard output.
func spacedev(t *testing.T, env []string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, spacedevPath(t), args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "spacedev %s: %s", strings.Join(args, " "), stderr.String())
	return string(out)
}

// microEnv returns the variables that "spacedev env --reveal" prints for a Micro of the
// running app.
func microEnv(t *testing.T, env []string, dir, micro string) map[string]string {
	t.Helper()
	vars := make(map[string]string)
	scanner := bufio.NewScanner(strings.NewReader(spacedev(t, env, "env", "--reveal", dir,
		micro)))
	for scanner.Scan() {
		line := scanner.Text()
		name, value, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		if unquoted, err := strconv.Unquote(value); err == nil {
			value = unquoted
		}
		vars[name] = value
	}
	return vars
}

// newClient returns an HTTP client for loopback calls that never follows a redirect and keeps
// no connection open, so a test leaves no goroutine behind. With a cookie jar it keeps the
// session that the login URL sets.
func newClient(t *testing.T, withJar bool) *http.Client {
	t.Helper()
	c := &http.Client{
		Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
		Timeout: 30 * time.Second,
	}
	if withJar {
		jar, err := cookiejar.New(nil)
		require.NoError(t, err)
		c.Jar = jar
	}
	return c
}
