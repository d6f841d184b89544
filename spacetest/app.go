package spacetest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
	"github.com/spacekit/spacekit/middleware"
)

// Hostname is the host of every App's in-process URL, "http://app.spacetest.localhost". A
// .localhost host means http to [envconfig.ParseHostname], as it does to browsers.
const Hostname = "app.spacetest.localhost"

// OwnerSubject is the subject of the session that [App.Browser] and [App.LoginURL] log in.
const OwnerSubject = "owner"

// Options configures [NewWithOptions]. The zero value is what [New] uses: authentication on,
// and Space's limits.
type Options struct {
	// NoAuth turns authentication off, as the old local emulator had none: every request
	// reaches its Micro, and the login and logout paths get 404.
	NoAuth bool
	// RequestTimeout is how long a request may take before the router responds with 504.
	// 0 means Space's 20 seconds.
	RequestTimeout time.Duration
	// MaxBodyBytes is the largest request body; a larger one gets 413.
	// 0 means Space's 5.5 MiB (5,767,168 bytes).
	MaxBodyBytes int64
	// MaxRecordedRequests is how many requests per Micro [App.Requests] keeps: the latest
	// ones. 0 means [DefaultMaxRecordedRequests].
	MaxRecordedRequests int
	// Logger receives the router's events, such as rejected requests and timeouts, and each
	// request at debug level. Nil means no logs. No line contains a key or a cookie.
	Logger *slog.Logger
}

// App is a Space app running in the test's process: its Micros behind the platform's router,
// with authentication, limits, recording and fault injection. Make one with [New],
// [NewWithOptions], [FromSpacefile] or [FromSpacefileNewHandlers]; the test's cleanup stops
// it.
//
// The methods are safe for concurrent use, and handlers may call them, with one exception:
// a method that fails the test calls t.Fatalf, which must run on the test's goroutine.
type App struct {
	t        testing.TB
	router   *router.Router
	micros   map[string]*microState
	names    []string // Micro names in the order given
	apiKey   envconfig.Secret
	session  router.SessionConfig // the zero value with NoAuth
	sessions *middleware.Sessions // made from session; nil with NoAuth
	inProc   *transport
	ctx      context.Context // canceled by the cleanup; the loopback server's base context
	cancel   context.CancelFunc
	track    tracker

	mu      sync.Mutex
	server  *httptest.Server // set by Serve
	stopped bool             // set once the cleanup has finished
}

// New starts the app made of micros for the test t, with authentication on and Space's
// limits, and stops it in t's cleanup. A bad setup fails the test with a message that names
// the Micro and the rule: 1 to 5 Micros, exactly one primary when there are several, unique
// names and paths, and exactly one of Handler and NewHandler each. New then calls each
// Micro's NewHandler, in order, and fails the test if one returns an error or a nil handler.
// New must be called from the test's goroutine.
func New(t testing.TB, micros ...Micro) *App {
	t.Helper()
	return NewWithOptions(t, Options{}, micros...)
}

// NewWithOptions is [New] with options, such as NoAuth or a shorter request timeout.
func NewWithOptions(t testing.TB, opts Options, micros ...Micro) *App {
	t.Helper()
	a := &App{t: t, micros: make(map[string]*microState), apiKey: newSecret("sk_api_")}
	a.ctx, a.cancel = context.WithCancel(context.Background())
	a.inProc = &transport{app: a, host: Hostname}
	if err := a.build(opts, micros); err != nil {
		a.cancel()
		t.Fatalf("spacetest: %v", err)
	}
	// The cleanup is registered first, because NewHandler may send requests, and may fail
	// the test itself, for example by calling App.Env with an unknown name.
	t.Cleanup(a.cleanup)
	if err := a.buildHandlers(); err != nil {
		t.Fatalf("spacetest: %v", err)
	}
	return a
}

// build validates the Micros and creates the router.
func (a *App) build(opts Options, micros []Micro) error {
	if opts.MaxRecordedRequests < 0 {
		return fmt.Errorf("invalid app: MaxRecordedRequests is %d: use a positive number, "+
			"or 0 for the default %d", opts.MaxRecordedRequests, DefaultMaxRecordedRequests)
	}
	if opts.MaxRecordedRequests == 0 {
		opts.MaxRecordedRequests = DefaultMaxRecordedRequests
	}
	if !opts.NoAuth {
		if err := a.newSessions(opts.Logger); err != nil {
			return err
		}
	}
	routed, problems := a.addMicros(micros, opts.MaxRecordedRequests)
	var err error
	a.router, err = router.New(router.Options{
		Micros: routed, APIKey: a.apiKey, Sessions: a.sessions, NoAuth: opts.NoAuth,
		RequestTimeout: opts.RequestTimeout, MaxBodyBytes: opts.MaxBodyBytes,
		Logger: opts.Logger,
	})
	return describeSetupError(problems, err)
}

// newSessions makes the router's Sessions from a new printable key, the one that [App.Env]
// passes to every Micro as SPACEKIT_SESSION_KEY.
func (a *App) newSessions(logger *slog.Logger) error {
	session := router.SessionConfig{Key: router.NewSessionKey()}
	sessions, err := session.NewSessions(middleware.SessionOptions{Logger: logger})
	if err != nil {
		return err
	}
	a.session, a.sessions = session, sessions
	return nil
}

// describeSetupError joins the problems that spacetest found and those of the router's error
// into one line, or returns nil when there are none.
func describeSetupError(problems []string, err error) error {
	var configErr *router.ConfigError
	switch {
	case errors.As(err, &configErr):
		for _, p := range configErr.Problems {
			problems = append(problems, p.String())
		}
	case err != nil:
		problems = append(problems, err.Error())
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("invalid app: %s", strings.Join(problems, "; "))
}

// newSecret returns prefix followed by 26 random characters.
func newSecret(prefix string) envconfig.Secret {
	return envconfig.Secret(prefix + rand.Text())
}

// micro returns the state of the Micro called name, or fails the test.
func (a *App) micro(method, name string) *microState {
	a.t.Helper()
	m, ok := a.micros[name]
	if !ok {
		a.t.Fatalf("spacetest: App.%s(%q): no such Micro: the app has %s", method, name,
			strings.Join(quoteAll(a.names), ", "))
	}
	return m
}

func quoteAll(names []string) []string {
	out := slices.Clone(names)
	for i, name := range out {
		out[i] = fmt.Sprintf("%q", name)
	}
	return out
}

// cleanup stops the app: it cancels every request under way, waits for the handlers and
// closes the loopback server. A handler that ignores its context fails the test.
func (a *App) cleanup() {
	a.cancel()
	returned := a.track.close()
	if !returned {
		a.t.Errorf("spacetest: handlers of %s still running %v after the test ended: a "+
			"handler must return once its request's context is done", a.runningMicros(),
			cleanupWait)
	}
	if srv := a.loopbackServer(); srv != nil {
		a.closeServer(srv, returned)
	}
	a.mu.Lock()
	a.stopped = true
	a.mu.Unlock()
}

// runningMicros names the Micros whose handlers are still running.
func (a *App) runningMicros() string {
	var names []string
	for _, name := range a.names {
		if a.micros[name].running.Load() > 0 {
			names = append(names, fmt.Sprintf("Micro %q", name))
		}
	}
	if len(names) == 0 {
		return "the router"
	}
	return strings.Join(names, ", ")
}

// reportPanic fails the test for a handler's panic other than [http.ErrAbortHandler], which
// handlers use to close the connection on purpose. A server would log the panic and close the
// connection; the client gets that transport error either way.
func (a *App) reportPanic(p any) {
	if p == http.ErrAbortHandler {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.stopped {
		a.t.Errorf("spacetest: a handler panicked: %v\n%s", p, debug.Stack())
	}
}
