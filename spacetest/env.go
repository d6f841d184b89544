package spacetest

import (
	"net/url"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
)

// envNames are the variables that [envconfig] reads. Setenv sets those that the Micro does
// not get to "", which envconfig treats as unset, so the developer's own values do not leak
// into the test.
var envNames = []string{envconfig.EnvHostname, envconfig.EnvAPIKey, envconfig.EnvProjectKey,
	envconfig.EnvMicroName, envconfig.EnvMicroType, envconfig.EnvVersion, envconfig.EnvPort,
	envconfig.EnvOnSpace, envconfig.EnvBaseURL, envconfig.EnvSessionKey,
	envconfig.EnvSessionCookie}

// environ returns the variables of the Micro's environment: the Micro's Env, then the
// platform's variables from [router.MicroEnv], which replace any Env entry of the same name.
// It fails the test on an error, which only a bug of spacetest can cause.
func (a *App) environ(method string, m *microState) map[string]string {
	a.t.Helper()
	platform, err := router.MicroEnv(router.MicroEnvSpec{
		Hostname: a.baseURL().Host, APIKey: a.apiKey, Name: m.spec.Name, Primary: m.primary,
		Session: a.session,
	})
	if err != nil {
		a.t.Fatalf("spacetest: App.%s(%q): %v", method, m.spec.Name, err)
	}
	vars := make(map[string]string, len(platform)+len(m.spec.Env))
	for name, value := range m.spec.Env {
		vars[name] = value
	}
	for _, v := range platform {
		vars[v.Name] = v.Value
	}
	return vars
}

// Env returns the configuration that the Micro called micro would read from its environment,
// as Space sets it. DETA_SPACE_APP_HOSTNAME is the app's host: [Hostname], or the loopback
// server's address after [App.Serve]. DETA_API_KEY is the app's generated key, which every
// Micro of the App shares. DETA_SPACE_APP_MICRO_NAME and DETA_SPACE_APP_MICRO_TYPE are the
// Micro's name and type. Unless authentication is off, SPACEKIT_SESSION_KEY and
// SPACEKIT_SESSION_COOKIE are the key and cookie name of the router's sessions, so that a
// Micro protected with middleware.AuthFromEnv admits the session of [App.Browser]. The
// entries of the Micro's Env follow, which [envconfig.Config.Lookup] finds. An unknown Micro
// fails the test.
func (a *App) Env(micro string) envconfig.Config {
	a.t.Helper()
	vars := a.environ("Env", a.micro("Env", micro))
	cfg, err := envconfig.LoadFrom(func(name string) (string, bool) {
		value, ok := vars[name]
		return value, ok
	})
	if err != nil {
		a.t.Fatalf("spacetest: App.Env(%q): %v", micro, err)
	}
	return cfg
}

// Setenv sets the environment of the Micro called micro in the process, with t.Setenv on the
// test that created the App, so that code which calls envconfig.Load or client.FromEnv reads
// it. It first starts the loopback server with [App.Serve], because such code makes its own
// HTTP client, which needs a socket. envconfig's other variables are set empty, which
// envconfig treats as unset. t.Setenv panics in a test that called t.Parallel, and so does
// Setenv. An unknown Micro fails the test.
func (a *App) Setenv(micro string) {
	a.t.Helper()
	m := a.micro("Setenv", micro)
	a.Serve()
	vars := a.environ("Setenv", m)
	for _, name := range envNames {
		if _, ok := vars[name]; !ok {
			a.t.Setenv(name, "")
		}
	}
	for name, value := range vars {
		a.t.Setenv(name, value)
	}
}

// URL returns the app's base URL: "http://app.spacetest.localhost" for the in-process
// transport, or the loopback server's URL once [App.Serve] has started it.
func (a *App) URL() string {
	return a.baseURL().String()
}

func (a *App) baseURL() *url.URL {
	if srv := a.loopbackServer(); srv != nil {
		u, _ := url.Parse(srv.URL)
		return u
	}
	return &url.URL{Scheme: "http", Host: Hostname}
}
