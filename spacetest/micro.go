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
	// Path is the Micro's URL prefix, such as "/api" or "v1/api". It defaults to "/" + Name
	// and is normalised as in a Spacefile. Leave it empty for the primary, which serves "/".
	Path string
	// Primary marks the Micro that serves "/" and every path no other Micro claims. A lone
	// Micro is the primary regardless of this field.
	Primary bool
	// Handler serves the Micro's requests, with the prefix stripped, as the Micro's own
	// server would receive them.
	Handler http.Handler
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
	running atomic.Int64
	record  recorder
	faults  faults
}

// addMicros records the Micros and returns them for the router, each handler wrapped to
// record requests and inject faults.
func (a *App) addMicros(micros []Micro, maxRecorded int) ([]router.Micro, error) {
	routed := make([]router.Micro, len(micros))
	for i, m := range micros {
		if err := checkEnv(m); err != nil {
			return nil, err
		}
		m.Env = maps.Clone(m.Env)
		m.PublicRoutes = slices.Clone(m.PublicRoutes)
		m.Actions = slices.Clone(m.Actions)
		state := &microState{spec: m, primary: m.Primary || len(micros) == 1}
		state.record.max = maxRecorded
		if _, dup := a.micros[m.Name]; !dup {
			a.micros[m.Name] = state
			a.names = append(a.names, m.Name)
		}
		routed[i] = router.Micro{Name: m.Name, Path: m.Path, Primary: m.Primary,
			Handler: a.wrap(state), Public: m.Public, PublicRoutes: m.PublicRoutes,
			AppKeys: m.AppKeys, Actions: m.Actions}
	}
	return routed, nil
}

// checkEnv rejects an Env that sets a variable the App sets, or a value that envconfig
// rejects, such as a PORT that is no port number.
func checkEnv(m Micro) error {
	for _, name := range reservedEnv {
		if _, ok := m.Env[name]; ok {
			return fmt.Errorf("invalid app: Micro %q: Env sets %s, which the App sets "+
				"itself: remove it", m.Name, name)
		}
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
		return fmt.Errorf("invalid app: Micro %q: Env: %w", m.Name, err)
	}
	return nil
}

// wrap returns the handler that the router calls for the Micro: it records the request,
// applies the faults, and calls the Micro's handler. A nil handler stays nil, so that the
// router names the problem.
func (a *App) wrap(m *microState) http.Handler {
	if m.spec.Handler == nil {
		return nil
	}
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
		m.spec.Handler.ServeHTTP(w, r)
	})
}
