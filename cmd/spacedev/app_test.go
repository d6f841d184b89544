//go:build linux

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echo is what the test app's Micros report about a request they received.
type echo struct {
	Micro            string `json:"micro"`
	Method           string `json:"method"`
	Path             string `json:"path"`
	EscapedPath      string `json:"escaped_path"`
	Query            string `json:"query"`
	Host             string `json:"host"`
	ForwardedFor     string `json:"x_forwarded_for"`
	ForwardedHost    string `json:"x_forwarded_host"`
	ForwardedProto   string `json:"x_forwarded_proto"`
	ForwardedPrefix  string `json:"x_forwarded_prefix"`
	HasAPIKeyHeader  bool   `json:"has_api_key_header"`
	HasSessionCookie bool   `json:"has_session_cookie"`
}

// actionEvent is an event the worker Micro recorded, with the request's Content-Type, its raw
// body and the time the worker received it.
type actionEvent struct {
	Event struct {
		ID      string `json:"id"`
		Trigger string `json:"trigger"`
	} `json:"event"`
	ContentType string    `json:"content_type"`
	RawBody     string    `json:"raw_body"`
	Received    time.Time `json:"received"`
}

// assertActionRequest checks that e arrived as Space posts an action's event.
func assertActionRequest(t *testing.T, e actionEvent) {
	t.Helper()
	assert.Equal(t, "application/json", e.ContentType, e.Event.ID)
	assert.Equal(t, `{"event":{"id":"`+e.Event.ID+`","trigger":"schedule"}}`, e.RawBody)
}

// eventsOf returns the events of the action id, in the order the worker received them.
func eventsOf(events []actionEvent, id string) []actionEvent {
	var out []actionEvent
	for _, e := range events {
		if e.Event.ID == id {
			out = append(out, e)
		}
	}
	return out
}

// shellEnv is the environment the tests give spacedev: preset values, a variable that passes
// through, and a SPACEKIT_BASE_URL that spacedev must not pass on.
var shellEnv = []string{
	"APP_GREETING=howdy",
	"APP_SECRET_TOKEN=s3cret-token",
	"APP_PASSTHROUGH=from-shell",
	"SPACEKIT_BASE_URL=http://elsewhere.invalid",
}

// TestApp runs the test app and checks, against one running spacedev, what Space's runtime
// does: routing, authentication, environment, calls between Micros, actions and logs. It ends
// with the shutdown.
func TestApp(t *testing.T) {
	dir := newProject(t)
	app := startApp(t, dir, shellEnv, "--schedule-speed", "60")
	key := apiKey(t, dir)

	t.Run("routing", func(t *testing.T) { testRouting(t, app, key) })
	t.Run("static micro", func(t *testing.T) { testStaticMicro(t, app) })
	t.Run("authentication", func(t *testing.T) { testAuthentication(t, app, key) })
	t.Run("login command", func(t *testing.T) { testLoginCommand(t, app) })
	t.Run("environment", func(t *testing.T) { testEnvironment(t, app, key) })
	t.Run("env command redacts", func(t *testing.T) { testEnvRedacts(t, app, key) })
	t.Run("cross-micro call", func(t *testing.T) { testCrossMicroCall(t, app, key) })
	t.Run("scheduled action", func(t *testing.T) { testScheduledAction(t, app, key) })
	t.Run("triggered action", func(t *testing.T) { testTriggeredAction(t, app, key) })
	t.Run("control endpoint", func(t *testing.T) { testControlEndpoint(t, app) })
	t.Run("access log", func(t *testing.T) { testAccessLog(t, app) })
	t.Run("check while running", func(t *testing.T) { testCheckWhileRunning(t, app) })

	require.Equal(t, 0, app.stop(syscall.SIGINT), "stderr:\n%s", app.stderr)
	assert.Empty(t, app.survivors())
	assert.Len(t, app.logsWith("micro stopped"), 3)
	assert.NoFileExists(t, filepath.Join(dir, stateDirName, runFileName))
	assertNoSecrets(t, app, key)
}

func testRouting(t *testing.T, app *appProcess, key string) {
	host := strings.TrimPrefix(app.url, "http://")
	tests := []struct {
		requestPath string
		micro       string
		path        string
		escapedPath string
		query       string
		prefix      string
	}{
		{"/apiary", "web", "/apiary", "/apiary", "", ""},
		{"/api", "api", "/", "/", "", "/api"},
		{"/api/", "api", "/", "/", "", "/api"},
		{"/api/users?id=7", "api", "/users", "/users", "id=7", "/api"},
		{"/API/x", "web", "/API/x", "/API/x", "", ""},
		{"/api/files/a%2Fb", "api", "/files/a/b", "/files/a%2Fb", "", "/api"},
		{"/worker/jobs", "worker", "/jobs", "/jobs", "", "/worker"},
	}
	client := newHTTPClient(t, false)
	for _, tt := range tests {
		t.Run(tt.requestPath, func(t *testing.T) {
			resp := do(t, client, "GET", app.url+tt.requestPath, map[string]string{
				"X-API-Key":       key,
				"X-Forwarded-For": "203.0.113.9", // forged: the router replaces it
			})
			require.Equal(t, 200, resp.status, resp.body)
			var got echo
			require.NoError(t, json.Unmarshal([]byte(resp.body), &got))
			assert.Equal(t, tt.micro, got.Micro)
			assert.Equal(t, tt.path, got.Path)
			assert.Equal(t, tt.escapedPath, got.EscapedPath)
			assert.Equal(t, tt.query, got.Query)
			assert.Equal(t, tt.prefix, got.ForwardedPrefix)
			assert.Equal(t, host, got.Host)
			assert.Equal(t, host, got.ForwardedHost)
			assert.Equal(t, "127.0.0.1", got.ForwardedFor)
			assert.Equal(t, "http", got.ForwardedProto)
		})
	}
}

func testStaticMicro(t *testing.T, app *appProcess) {
	client := newHTTPClient(t, false)
	index, err := os.ReadFile("testdata/app/docs/dist/index.html")
	require.NoError(t, err)

	resp := do(t, client, "GET", app.url+"/docs/", nil)
	assert.Equal(t, 200, resp.status)
	assert.Equal(t, string(index), resp.body)

	resp = do(t, client, "GET", app.url+"/docs/missing.html", nil)
	assert.Equal(t, 404, resp.status)
}

func testAuthentication(t *testing.T, app *appProcess, key string) {
	client := newHTTPClient(t, false)

	resp := do(t, client, "GET", app.url+"/api/x", map[string]string{"Accept": "application/json"})
	assert.Equal(t, 401, resp.status)
	assert.Equal(t, "application/json", resp.header.Get("Content-Type"))
	assert.True(t, strings.HasPrefix(resp.header.Get("Server"), "Deta"), resp.header.Get("Server"))
	var rejection map[string]string
	require.NoError(t, json.Unmarshal([]byte(resp.body), &rejection))
	assert.Equal(t, "unauthorized", rejection["error"])

	resp = do(t, client, "GET", app.url+"/api/x", map[string]string{"Accept": "text/html"})
	assert.Equal(t, 302, resp.status)
	assert.Equal(t, "/__space/login?redirect_uri=%2Fapi%2Fx", resp.header.Get("Location"))
	resp = do(t, client, "GET", app.url+resp.header.Get("Location"),
		map[string]string{"Accept": "text/html"})
	assert.Equal(t, 400, resp.status, "the login page without a token admits no one")
	assert.Empty(t, resp.header.Get("Set-Cookie"))
	assert.Contains(t, resp.body, "<pre>spacedev login "+app.dir+"</pre>",
		"the page gives the command that prints a login URL for this project")

	resp = do(t, client, "GET", app.url+"/__space/login?token=AAAA",
		map[string]string{"Accept": "text/html"})
	assert.Equal(t, 401, resp.status, "an unknown token admits no one")
	assert.Empty(t, resp.header.Get("Set-Cookie"))
	assert.Contains(t, resp.body, "This login URL did not work: the login token is not valid.")

	resp = do(t, client, "GET", app.url+"/api/x", map[string]string{"X-API-Key": "wrong"})
	assert.Equal(t, 401, resp.status)

	resp = do(t, client, "GET", app.url+"/api/x", map[string]string{"X-API-Key": key})
	assert.Equal(t, 200, resp.status)

	resp = do(t, client, "GET", app.url+"/public/hello", nil)
	assert.Equal(t, 200, resp.status)
	assert.JSONEq(t, `{"greeting":"howdy"}`, resp.body)

	resp = do(t, client, "POST", app.url+"/worker/__space/v0/actions",
		map[string]string{"X-API-Key": key})
	assert.Equal(t, 404, resp.status, "the actions path is the runtime's")

	testLoginURL(t, app, app.loginURL)
}

// testLoginURL opens a one-time login URL in a browser: the session cookie it sets opens
// private routes, and the URL works only once.
func testLoginURL(t *testing.T, app *appProcess, loginURL string) {
	t.Helper()
	require.NotEmpty(t, loginURL, "spacedev printed no login URL:\n%s", app.stdout)
	browser := newHTTPClient(t, true)

	resp := do(t, browser, "GET", loginURL, nil)
	require.Equal(t, 302, resp.status, resp.body)
	assert.Equal(t, "/", resp.header.Get("Location"))
	assert.NotEmpty(t, resp.header.Get("Set-Cookie"))
	cookieName, _, _ := strings.Cut(resp.header.Get("Set-Cookie"), "=")
	apiEnv := microEnvOf(t, app, apiKey(t, app.dir), "/api")
	assert.Equal(t, cookieName, apiEnv["SPACEKIT_SESSION_COOKIE"],
		"Micros get the name of the cookie that the router sets")

	resp = do(t, browser, "GET", app.url+"/api/x", map[string]string{"Accept": "text/html"})
	require.Equal(t, 200, resp.status, resp.body)
	var got echo
	require.NoError(t, json.Unmarshal([]byte(resp.body), &got))
	assert.Equal(t, "api", got.Micro)

	resp = do(t, newHTTPClient(t, true), "GET", loginURL, nil)
	assert.Equal(t, 401, resp.status, "a login URL works once")
}

func testLoginCommand(t *testing.T, app *appProcess) {
	stdout, stderr, code := runSpacedev(t, nil, "login", app.dir)
	require.Equal(t, 0, code, stderr)
	loginURL := strings.TrimSpace(stdout)
	assert.True(t, strings.HasPrefix(loginURL, app.url+"/__space/login?token="), loginURL)
	testLoginURL(t, app, loginURL)
}

// microEnvOf returns what the Micro at prefix reports about its environment.
func microEnvOf(t *testing.T, app *appProcess, key, prefix string) map[string]string {
	t.Helper()
	resp := do(t, newHTTPClient(t, false), "GET", app.url+prefix+"/env",
		map[string]string{"X-API-Key": key})
	require.Equal(t, 200, resp.status, resp.body)
	var env map[string]string
	require.NoError(t, json.Unmarshal([]byte(resp.body), &env))
	return env
}

// envCommand runs "spacedev env" and parses its NAME=value lines.
func envCommand(t *testing.T, args ...string) map[string]string {
	t.Helper()
	stdout, stderr, code := runSpacedev(t, shellEnv, append([]string{"env"}, args...)...)
	require.Equal(t, 0, code, stderr)
	vars := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(stdout), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		require.True(t, ok, "line %q of spacedev env", line)
		vars[name] = value
	}
	return vars
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// testEnvironment checks that each Micro receives exactly what "spacedev env --reveal" prints,
// plus the shell's own variables, and checks the values that Space's runtime defines.
func testEnvironment(t *testing.T, app *appProcess, key string) {
	host := strings.TrimPrefix(app.url, "http://")
	keys, err := readKeys(filepath.Join(app.dir, stateDirName, keysFileName))
	require.NoError(t, err)
	tests := []struct {
		micro, prefix, microType string
	}{
		{"web", "", "primary"},
		{"api", "/api", "normal"},
		{"worker", "/worker", "normal"},
	}
	for _, tt := range tests {
		t.Run(tt.micro, func(t *testing.T) {
			got := microEnvOf(t, app, key, tt.prefix)

			want := map[string]string{"APP_PASSTHROUGH": "from-shell"}
			for name, value := range envCommand(t, "--reveal", app.dir, tt.micro) {
				if strings.Contains(name, "KEY") || strings.Contains(name, "TOKEN") {
					value = sha256Hex(value)
				}
				want[name] = value
			}
			if tt.micro != "web" { // the presets belong to web; the shell passes them on
				want["APP_GREETING"] = "howdy"
				want["APP_SECRET_TOKEN"] = sha256Hex("s3cret-token")
			}
			assert.Equal(t, want, got)

			assert.Equal(t, host, got["DETA_SPACE_APP_HOSTNAME"])
			assert.Equal(t, sha256Hex(key), got["DETA_API_KEY"])
			assert.Equal(t, tt.micro, got["DETA_SPACE_APP_MICRO_NAME"])
			assert.Equal(t, tt.microType, got["DETA_SPACE_APP_MICRO_TYPE"])
			assert.Equal(t, "dev", got["DETA_SPACE_APP_VERSION"])
			assert.Equal(t, "false", got["DETA_SPACE_APP"])
			assert.NotContains(t, got, "SPACEKIT_BASE_URL")
			assert.Equal(t, sha256Hex(keys.SessionKey.Reveal()), got["SPACEKIT_SESSION_KEY"],
				"Micros get the key that signs the router's cookies")
			assert.Equal(t, sessionCookieName(app.dir), got["SPACEKIT_SESSION_COOKIE"])
		})
	}

	web := microEnvOf(t, app, key, "")
	assert.Equal(t, "howdy", web["APP_GREETING"], "a shell value overrides the default")
	assert.Equal(t, sha256Hex("s3cret-token"), web["APP_SECRET_TOKEN"])
}

func testEnvRedacts(t *testing.T, app *appProcess, key string) {
	stdout, stderr, code := runSpacedev(t, shellEnv, "env", app.dir, "web")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "\nDETA_API_KEY=[REDACTED]\n")
	assert.Contains(t, stdout, "\nDETA_PROJECT_KEY=[REDACTED]\n")
	assert.Contains(t, stdout, "\nAPP_SECRET_TOKEN=[REDACTED]\n")
	assert.Contains(t, stdout, "\nAPP_GREETING=howdy\n")
	assert.Contains(t, stdout, "\nSPACEKIT_SESSION_KEY=[REDACTED]\n")
	assert.Contains(t, stdout, "\nSPACEKIT_SESSION_COOKIE=spacedev_session_")
	assert.NotContains(t, stdout, key)
	keys, err := readKeys(filepath.Join(app.dir, stateDirName, keysFileName))
	require.NoError(t, err)
	assert.NotContains(t, stdout, keys.SessionKey.Reveal())
	assert.NotContains(t, stdout, "s3cret-token")
}

func testCrossMicroCall(t *testing.T, app *appProcess, key string) {
	resp := do(t, newHTTPClient(t, false), "GET", app.url+"/call-api",
		map[string]string{"X-API-Key": key})
	require.Equal(t, 200, resp.status, resp.body)
	var got struct{ API echo }
	require.NoError(t, json.Unmarshal([]byte(resp.body), &got))
	assert.Equal(t, "api", got.API.Micro)
	assert.Equal(t, "/whoami", got.API.Path)
	assert.Equal(t, "/api", got.API.ForwardedPrefix)
	assert.True(t, got.API.HasAPIKeyHeader)
	assert.Equal(t, strings.TrimPrefix(app.url, "http://"), got.API.Host)
}

// workerEvents returns the action events the worker Micro has received.
func workerEvents(t *testing.T, app *appProcess, key string) []actionEvent {
	t.Helper()
	resp := do(t, newHTTPClient(t, false), "GET", app.url+"/worker/events",
		map[string]string{"X-API-Key": key})
	require.Equal(t, 200, resp.status, resp.body)
	var events []actionEvent
	require.NoError(t, json.Unmarshal([]byte(resp.body), &events))
	return events
}

func countEvents(events []actionEvent, id string) int {
	n := 0
	for _, e := range events {
		if e.Event.ID == id {
			n++
		}
	}
	return n
}

// testScheduledAction waits for the "1 minute" tick, which --schedule-speed 60 makes run every
// second, and checks the requests the worker received and that the router logged the runs.
func testScheduledAction(t *testing.T, app *appProcess, key string) {
	eventually(t, "three scheduled ticks", func() bool {
		return countEvents(workerEvents(t, app, key), "tick") >= 3
	})
	for _, e := range workerEvents(t, app, key) {
		assert.Equal(t, "schedule", e.Event.Trigger)
		assertActionRequest(t, e)
	}

	// The scheduler computes each run from the end of the one before, so the ticks come at
	// least one second of real time apart. The margin covers the rounding of the clock
	// arithmetic; a scheduler that ignored the interval would send them back to back.
	received := eventsOf(workerEvents(t, app, key), "tick")
	for i := 1; i < len(received); i++ {
		gap := received[i].Received.Sub(received[i-1].Received)
		assert.GreaterOrEqual(t, gap, 990*time.Millisecond, "gap before tick %d", i)
	}

	var ticks int
	for _, entry := range app.logsWith("action triggered") {
		if entry["action"] == "tick" {
			ticks++
			assert.Equal(t, "worker", entry["micro"])
			assert.Equal(t, float64(200), entry["status"])
		}
	}
	assert.GreaterOrEqual(t, ticks, 3)
}

func testTriggeredAction(t *testing.T, app *appProcess, key string) {
	before := countEvents(workerEvents(t, app, key), "cleanup")

	stdout, stderr, code := runSpacedev(t, nil, "trigger", app.dir, "cleanup")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "action cleanup: 200 OK\n{\"done\":\"cleanup\"}\n", stdout)
	cleanups := eventsOf(workerEvents(t, app, key), "cleanup")
	require.Len(t, cleanups, before+1)
	assertActionRequest(t, cleanups[before])

	stdout, stderr, code = runSpacedev(t, nil, "trigger", app.dir, "no-such-action")
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "action no-such-action: 404 Not Found")
	assert.Contains(t, stderr, `action "no-such-action" failed with status 404 Not Found`)
}

func testControlEndpoint(t *testing.T, app *appProcess) {
	client := newHTTPClient(t, false)
	resp := do(t, client, "POST", app.url+triggerPath+"?id=cleanup", nil)
	assert.Equal(t, 401, resp.status)
	resp = do(t, client, "POST", app.url+triggerPath+"?id=cleanup",
		map[string]string{"X-API-Key": "wrong"})
	assert.Equal(t, 401, resp.status)
}

func testAccessLog(t *testing.T, app *appProcess) {
	var found bool
	for _, entry := range app.logsWith("request") {
		path, _ := entry["path"].(string)
		assert.NotContains(t, path, "?", "the access log leaves out the query")
		if path == "/api/users" {
			found = true
			assert.Equal(t, "GET", entry["method"])
			assert.Equal(t, "api", entry["micro"])
			assert.Equal(t, float64(200), entry["status"])
			assert.Contains(t, entry, "duration")
		}
	}
	assert.True(t, found, "no access log line for /api/users")

	// The requests to /api/x without a key were rejected by authentication. The rejection's
	// line names the same path as the access log, and the Micro's own path apart.
	rejected := app.logsWith("request rejected")
	require.NotEmpty(t, rejected)
	for _, entry := range rejected {
		assert.Equal(t, "/api/x", entry["path"], entry)
		assert.Equal(t, "/x", entry["micro_path"], entry)
	}
}

// testCheckWhileRunning checks that "spacedev check" labels its action times as those of a new
// start and notes that the running app keeps its own schedule.
func testCheckWhileRunning(t *testing.T, app *appProcess) {
	stdout, stderr, code := runSpacedev(t, nil, "check", app.dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "FIRST RUN IF STARTED NOW (UTC)")
	assert.Contains(t, stdout, "spacedev up already serves this app at "+app.url+" (process "+
		strconv.Itoa(app.cmd.Process.Pid)+"): its actions run on the schedule of its own start")
}

// assertNoSecrets checks that no key, token or secret preset appears in spacedev's log.
func assertNoSecrets(t *testing.T, app *appProcess, key string) {
	t.Helper()
	keys, err := readKeys(filepath.Join(app.dir, stateDirName, keysFileName))
	require.NoError(t, err)
	logs := app.stderr.String()
	assert.NotContains(t, logs, key)
	assert.NotContains(t, logs, keys.ProjectKey.Reveal())
	assert.NotContains(t, logs, "s3cret-token")
	login, err := url.Parse(app.loginURL)
	require.NoError(t, err)
	assert.NotContains(t, logs, login.Query().Get("token"))
	assert.NotContains(t, app.stdout.String(), key)
}
