package notes_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	// chromiumEnv names a variable that can point the test at a Chromium or Chrome binary.
	chromiumEnv = "SPACEKIT_CHROMIUM"

	// screenshotDir is the folder, ignored by git, where the test saves what the browser showed.
	screenshotDir = "screenshots"

	// browserStepTimeout bounds each step in the browser.
	browserStepTimeout = 30 * time.Second
)

// chromiumNames are the names under which Chromium or Chrome is looked up in PATH when
// SPACEKIT_CHROMIUM is unset: Debian's chromium package first.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// requireChromium returns the browser's path: SPACEKIT_CHROMIUM, or the first of
// chromiumNames found in PATH. When there is none it skips the test, unless CI is "true":
// there a missing browser is a failure, so the check cannot pass silently.
func requireChromium(t *testing.T) string {
	t.Helper()
	if path := os.Getenv(chromiumEnv); path != "" {
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("%s=%q: %v: point it at a Chromium or Chrome binary, or unset it",
				chromiumEnv, path, err)
		}
		return path
	}
	for _, name := range chromiumNames {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	msg := fmt.Sprintf("no browser named %s is in PATH: install one with apt-get install -y "+
		"chromium, or set %s to its path", strings.Join(chromiumNames, ", "), chromiumEnv)
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and %s", msg)
	}
	t.Skipf("%s (with CI=true a missing browser fails the test)", msg)
	return ""
}

// browserOptions runs Chromium headless with a fresh profile and turns off every feature that
// reaches the network on its own, so the browser talks to the loopback app and nothing else.
// The host resolver rules make every host other than localhost and 127.0.0.1 fail to
// resolve.
func browserOptions(t *testing.T, chromium string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(900, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"),
	}
}

// requestLog records the URLs that a browser tab requests and are not on loopback.
type requestLog struct {
	mu         sync.Mutex
	offLoopack []string
}

func (l *requestLog) listen(ev any) {
	sent, ok := ev.(*network.EventRequestWillBeSent)
	if !ok || isLoopbackURL(sent.Request.URL) {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.offLoopack = append(l.offLoopack, sent.Request.URL)
}

func (l *requestLog) offLoopback() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.offLoopack
}

// isLoopbackURL reports whether a requested URL stays on this machine. data: URLs, such as
// the page's empty icon, never leave the browser.
func isLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	if u.Scheme == "data" {
		return true
	}
	host := u.Hostname()
	return host == "127.0.0.1" || host == "localhost" || host == "::1"
}

// step runs actions in the tab of ctx within browserStepTimeout.
func step(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, browserStepTimeout)
	defer cancel()
	require.NoError(t, chromedp.Do(ctx, actions...))
}

// value runs one action that returns a value within browserStepTimeout.
func value[T any](t *testing.T, ctx context.Context, action chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, browserStepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	require.NoError(t, err)
	return v
}

// saveScreenshot saves a PNG of the whole page of the tab as screenshots/<name>.png.
func saveScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png := value(t, ctx, chromedp.FullScreenshot(100))
	require.NoError(t, os.MkdirAll(screenshotDir, 0o755))
	path := filepath.Join(screenshotDir, name+".png")
	require.NoError(t, os.WriteFile(path, png, 0o644))
	t.Logf("saved %s", path)
}

// startTab starts the browser when ctx has none, opens a tab, records its requests in log
// and turns on the network events that the log needs.
func startTab(t *testing.T, ctx context.Context, log *requestLog) {
	t.Helper()
	require.NoError(t, chromedp.Listen(ctx, log.listen))
	_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
	require.NoError(t, err)
}

func TestNotesInBrowser(t *testing.T) {
	chromium := requireChromium(t)
	dir, env := copyApp(t)
	app := startApp(t, dir, env, freeAddr(t))

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), browserOptions(t, chromium)...)
	defer cancelAlloc()
	owner, cancelOwner := chromedp.NewContext(allocCtx)
	defer cancelOwner()
	var requests requestLog
	startTab(t, owner, &requests)

	const text = `Water the <plants> & "call" Ada`
	var shareURL string
	// Each step needs the one before, so the first failure ends the test.
	ok := t.Run("owner adds and shares a note", func(t *testing.T) {
		step(t, owner,
			chromedp.Navigate(app.LoginURL),
			chromedp.WaitVisible(chromedp.CSS("#notes li.empty:not(.loading)")),
		)
		assert.Equal(t, app.URL+"/", value(t, owner, chromedp.Location()))
		assert.Equal(t, "No notes yet.", value(t, owner, chromedp.Text(chromedp.CSS("#notes li"))))

		step(t, owner,
			chromedp.SendKeys(chromedp.ID("note-text"), text),
			chromedp.Click(chromedp.ID("add-note")),
			chromedp.WaitVisible(chromedp.CSS("#notes li.note .note-text")),
		)
		assert.Equal(t, text, value(t, owner, chromedp.Text(chromedp.CSS("#notes li.note .note-text"))))
		assert.Empty(t, value(t, owner, chromedp.Value(chromedp.ID("note-text"))))

		step(t, owner,
			chromedp.Click(chromedp.CSS("#notes li.note .share-button")),
			chromedp.WaitVisible(chromedp.CSS("#notes li.note .share-link")),
		)
		href := value(t, owner, chromedp.AttributeValue(chromedp.CSS(".share-link"), "href"))
		require.True(t, href.Exists)
		shareURL = href.Value
		assert.Regexp(t, `^`+app.URL+`/share/[A-Z2-7]{26}$`, shareURL)
		assert.Equal(t, "Stop sharing",
			value(t, owner, chromedp.Text(chromedp.CSS("#notes li.note .share-button"))))
	})
	ok = ok && t.Run("page shows statistics after the action", func(t *testing.T) {
		spacedev(t, env, "trigger", dir, "collect-stats")
		step(t, owner, chromedp.Click(chromedp.ID("refresh-stats")))
		stats := value(t, owner, chromedp.Poll[string](
			`document.getElementById("stats").textContent.startsWith("1 note,") && `+
				`document.getElementById("stats").textContent`))
		// The schedule may also have run the action, once a minute, so the runs may be more.
		assert.Regexp(t, `^1 note, 1 shared\. Collected (1 time|[2-9] times), last at .+\.$`,
			stats)
		assert.Empty(t, value(t, owner, chromedp.Text(chromedp.ID("status"))))
		saveScreenshot(t, owner, "notes")
	})
	ok = ok && t.Run("anonymous visitor opens the share link", func(t *testing.T) {
		visitor, cancelVisitor := chromedp.NewContext(owner, chromedp.WithNewBrowserContext())
		defer cancelVisitor()
		startTab(t, visitor, &requests)

		step(t, visitor,
			chromedp.Navigate(shareURL),
			chromedp.WaitVisible(chromedp.ID("shared-text")),
		)
		assert.Equal(t, text, value(t, visitor, chromedp.Text(chromedp.ID("shared-text"))))
		assert.Equal(t, "A shared note", value(t, visitor, chromedp.Title()))

		cookies, err := chromedp.Call(visitor, network.GetCookies,
			network.GetCookiesParams{URLs: []string{app.URL}})
		require.NoError(t, err)
		assert.Empty(t, cookies.Cookies, "the visitor's browser context has no session")
		saveScreenshot(t, visitor, "share")
	})
	ok = ok && t.Run("owner logs out", func(t *testing.T) {
		step(t, owner,
			chromedp.Navigate(app.URL+"/"),
			chromedp.WaitVisible(chromedp.ID("log-out")),
			chromedp.Click(chromedp.ID("log-out")),
			chromedp.WaitNotPresent(chromedp.ID("log-out")),
		)
		// Logging out leads back to "/", which sends a browser without a session to login.
		assert.True(t, strings.HasPrefix(value(t, owner, chromedp.Location()),
			app.URL+"/__space/login?"), "the page after logging out is the login page")
		cookies, err := chromedp.Call(owner, network.GetCookies,
			network.GetCookiesParams{URLs: []string{app.URL}})
		require.NoError(t, err)
		assert.Empty(t, cookies.Cookies, "logging out removes the session cookie")
	})
	if ok {
		assert.Empty(t, requests.offLoopback(), "the browser requested URLs off loopback")
		app.interrupt(t)
	}
}
