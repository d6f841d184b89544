package spacetest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync/atomic"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
)

// Micro is one Micro of an [App]: a handler and the Spacefile settings that the platform
// applies to it.
type Micro struct {
	// Name identifies the Micro, as the Spacefile's name: it matches
	// ^[A-Za-z0-9][A-Za-z0-9_-]*$ and is unique in the app.
	Name string
	// Path is the Micro's URL prefix, such as "/api" or "v1/api", written as a Spacefile's
	// path key. It defaults to Name. New normalises it as the spacefile package does, adding
	// a leading "/" and removing one trailing "/", and the router serves the result without
	// its trailing "/", as spacedev does. So "api", "/api/" and "api//" all serve "/api".
	// Leave it empty for the primary, which serves "/".
	Path string
	// Primary marks the Micro that serves "/" and every path no other Micro claims. A lone
	// Micro is the primary regardless of this field.
	Primary bool
	// Handler serves the Micro's requests, with the prefix stripped, as the Micro's own
	// server would receive them. Set exactly one of Handler and NewHandler.
	Handler http.Handler
	// NewHandler builds the Micro's handler from the App, for a handler that needs the
	// environment that the App makes, as a Micro's main builds its handler from
	// envconfig.Load and client.New. Inside it, app.Env(Name) and app.Client(Name) return
	// that environment and a client made from it. [New] calls each NewHandler once, on the
	// test's goroutine, in the order the Micros are given, after the App's environment, keys
	// and transports exist and before New returns. A request that NewHandler sends reaches
	// the Micros already built, and a Micro not built yet responds 503. An error or a nil
	// handler fails the test. Set exactly one of Handler and NewHandler.
	NewHandler func(app *App) (http.Handler, error)
	// Public makes every route of the Micro public, as public: true does in a Spacefile.
	Public bool
	// PublicRoutes are the Spacefile's public_routes, such as "/public/*", relative to the
	// Micro's path.
	PublicRoutes []string
	// AppKeys lets the Micro accept keys from [App.NewAppKey] in X-Space-App-Key, as
	// presets.api_keys: true does.
	AppKeys bool
	// Env adds variables to the Micro's environment, as presets.env does. The variables that
	// the app itself sets (DETA_SPACE_APP_HOSTNAME, DETA_API_KEY, DETA_SPACE_APP_MICRO_NAME,
	// DETA_SPACE_APP_MICRO_TYPE, SPACEKIT_BASE_URL) may not be set here.
	Env map[string]string
	// Actions are the ids of the scheduled actions the Micro declares; [App.Trigger] runs one.
	Actions []string
}

// reservedEnv are the variables that the App sets itself.
var reservedEnv = []string{envconfig.EnvHostname, envconfig.EnvAPIKey, envconfig.EnvMicroName,
	envconfig.EnvMicroType, envconfig.EnvBaseURL}

// microState is the state an App keeps for one Micro.
type microState struct {
	spec    Micro
	primary bool // after the router's normalisation
	// handler is spec.Handler, or what spec.NewHandler returned; nil until New has built it.
	handler atomic.Pointer[http.Handler]
	running atomic.Int64
	record  recorder
	faults  faults
}

// addMicros records the Micros and returns them for the router, each handler wrapped to
// record requests and inject faults, with the problems that the router does not check: the
// handler fields and Env. Each non-primary Micro's Path is normalised as the spacefile package
// normalises a Spacefile's path, so the router serves it as spacedev serves that Spacefile.
func (a *App) addMicros(micros []Micro, maxRecorded int) ([]router.Micro, []string) {
	routed := make([]router.Micro, len(micros))
	var problems []string
	for i, m := range micros {
		problems = append(problems, checkHandler(m)...)
		problems = append(problems, checkEnv(m)...)
		m.Env = maps.Clone(m.Env)
		m.PublicRoutes = slices.Clone(m.PublicRoutes)
		m.Actions = slices.Clone(m.Actions)
		state := &microState{spec: m, primary: m.Primary || len(micros) == 1}
		state.record.max = maxRecorded
		if m.Handler != nil {
			state.handler.Store(&m.Handler)
		}
		if _, dup := a.micros[m.Name]; !dup {
			a.micros[m.Name] = state
			a.names = append(a.names, m.Name)
		}
		path := m.Path
		if !state.primary {
			path = router.NormalisePath(m.Name, m.Path)
		}
		routed[i] = router.Micro{Name: m.Name, Path: path, WrittenPath: m.Path,
			Primary: m.Primary, Handler: a.wrap(state), Public: m.Public,
			PublicRoutes: m.PublicRoutes, AppKeys: m.AppKeys, Actions: m.Actions}
	}
	return routed, problems
}

// checkHandler enforces that exactly one of Handler and NewHandler is set.
func checkHandler(m Micro) []string {
	switch {
	case m.Handler == nil && m.NewHandler == nil:
		return []string{fmt.Sprintf("Micro %q: Handler and NewHandler are both nil: set "+
			"exactly one of them", m.Name)}
	case m.Handler != nil && m.NewHandler != nil:
		return []string{fmt.Sprintf("Micro %q: Handler and NewHandler are both set: set "+
			"exactly one of them", m.Name)}
	}
	return nil
}

// checkEnv rejects an Env that sets a variable the App sets, or a value that envconfig
// rejects, such as a PORT that is no port number.
func checkEnv(m Micro) []string {
	var problems []string
	for _, name := range reservedEnv {
		if _, ok := m.Env[name]; ok {
			problems = append(problems, fmt.Sprintf("Micro %q: Env sets %s, which the App "+
				"sets itself: remove it", m.Name, name))
		}
	}
	if len(problems) > 0 {
		return problems
	}
	_, err := envconfig.LoadFrom(func(name string) (string, bool) {
		if value, ok := m.Env[name]; ok {
			return value, true
		}
		switch name {
		case envconfig.EnvHostname:
			return Hostname, true
		case envconfig.EnvAPIKey:
			return "placeholder", true
		}
		return "", false
	})
	if err != nil {
		return []string{fmt.Sprintf("Micro %q: Env: %v", m.Name, err)}
	}
	return nil
}

// buildHandlers calls the NewHandler of each Micro that has one, in the order given, and
// stores the handler it returns.
func (a *App) buildHandlers() error {
	for _, name := range a.names {
		m := a.micros[name]
		if m.spec.NewHandler == nil {
			continue
		}
		h, err := m.spec.NewHandler(a)
		if err != nil {
			return fmt.Errorf("Micro %q: NewHandler failed: %w", name, err)
		}
		if h == nil {
			return fmt.Errorf("Micro %q: NewHandler returned a nil handler and no error: "+
				"return the Micro's handler, or an error", name)
		}
		m.handler.Store(&h)
	}
	return nil
}

// wrap returns the handler that the router calls for the Micro: it records the request,
// applies the faults, and calls the Micro's handler, or responds 503 while New has not built
// it yet.
func (a *App) wrap(m *microState) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.track.enter() {
			panic(http.ErrAbortHandler)
		}
		defer a.track.leave()
		m.running.Add(1)
		defer m.running.Add(-1)
		entry := m.record.add(r)
		defer entry.finish(r)
		if m.faults.apply(w, r) {
			return
		}
		h := m.handler.Load()
		if h == nil {
			http.Error(w, fmt.Sprintf("spacetest: Micro %q is starting: New has not built "+
				"its handler with NewHandler yet", m.spec.Name), http.StatusServiceUnavailable)
			return
		}
		(*h).ServeHTTP(w, r)
	})
}
