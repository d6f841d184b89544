package spacetest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/spacetest"
)

// greeting is what a greeter responds with: its own Micro name, and what the api Micro
// received when the greeter called it.
type greeting struct {
	Micro string `json:"micro"`
	API   seen   `json:"api"`
}

// newGreeter builds a handler as a Micro's main would, from its environment and the client
// made from it: GET / calls GET /api/greet on the sibling and responds with a greeting.
func newGreeter(cfg envconfig.Config, c *client.Client) (http.Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		out := greeting{Micro: cfg.MicroName}
		if err := c.GetJSON(r.Context(), "/api/greet", &out.API); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	})
	return mux, nil
}

// getGreeting sends GET / with c and decodes the greeting.
func getGreeting(t *testing.T, c *http.Client, app *spacetest.App) greeting {
	t.Helper()
	resp := get(t, c, app, "/")
	body := readAll(t, resp)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	var g greeting
	require.NoError(t, json.Unmarshal([]byte(body), &g))
	return g
}

func TestNewHandlerBuildsFromEnvAndClient(t *testing.T) {
	t.Parallel()
	var calls int
	var webEnv envconfig.Config
	app := spacetest.New(t,
		spacetest.Micro{Name: "web", Primary: true,
			NewHandler: func(app *spacetest.App) (http.Handler, error) {
				calls++
				webEnv = app.Env("web")
				return newGreeter(webEnv, app.Client("web"))
			}},
		spacetest.Micro{Name: "api", Handler: echo("api")},
	)
	assert.Equal(t, 1, calls, "New calls NewHandler once")
	assert.Equal(t, "web", webEnv.MicroName)
	assert.Equal(t, spacetest.Hostname, webEnv.Hostname)
	assert.Equal(t, app.Env("api").APIKey, webEnv.APIKey, "the App's key")
	assert.Equal(t, app.Env("web").SessionKey, webEnv.SessionKey, "the App's session key")

	g := getGreeting(t, app.Browser(), app)
	assert.Equal(t, "web", g.Micro)
	assert.Equal(t, "api", g.API.Micro)
	assert.Equal(t, "/greet", g.API.Path)
	assert.Equal(t, "api_key", g.API.Auth, "the client sends the app's key")
	requests := app.Requests("api")
	require.Len(t, requests, 1)
	assert.Equal(t, "[REDACTED]", requests[0].Header.Get("X-API-Key"))

	// The client that NewHandler made keeps the in-process transport after Serve, and the
	// handler still reaches its sibling when the request comes through the loopback server.
	app.Serve()
	g = getGreeting(t, app.Browser(), app)
	assert.Equal(t, "api_key", g.API.Auth)
	assert.Len(t, app.Requests("api"), 2)
	assert.Equal(t, 1, calls, "Serve does not build the handler again")
}

// TestNewHandlerOrder checks that New builds the handlers in the order the Micros are given,
// and that a request sent from NewHandler reaches the Micros built before it, while a Micro
// not built yet responds 503.
func TestNewHandlerOrder(t *testing.T) {
	t.Parallel()
	var order []string
	statuses := make(map[string]int)
	probe := func(app *spacetest.App, from, target string) {
		resp, err := app.Client(from, client.WithRetryMax(0)).Get(context.Background(), target)
		require.NoError(t, err)
		_ = readAll(t, resp)
		statuses[from+" "+target] = resp.StatusCode
	}
	build := func(name string, targets ...string) func(*spacetest.App) (http.Handler, error) {
		return func(app *spacetest.App) (http.Handler, error) {
			order = append(order, name)
			for _, target := range targets {
				probe(app, name, target)
			}
			return echo(name), nil
		}
	}
	app := spacetest.New(t,
		spacetest.Micro{Name: "web", Primary: true, Handler: echo("web")},
		spacetest.Micro{Name: "api", NewHandler: build("api", "/", "/worker/x")},
		spacetest.Micro{Name: "worker", NewHandler: build("worker", "/api/x")},
	)

	assert.Equal(t, []string{"api", "worker"}, order)
	assert.Equal(t, map[string]int{
		"api /":         http.StatusOK,
		"api /worker/x": http.StatusServiceUnavailable,
		"worker /api/x": http.StatusOK,
	}, statuses)
	assert.Equal(t, "worker", decode(t, get(t, app.Browser(), app, "/worker/x")).Micro,
		"the Micro serves once New has returned")
	assert.Len(t, app.Requests("worker"), 2, "the 503 is recorded")
}

func TestNewHandlerStartingMessage(t *testing.T) {
	t.Parallel()
	var body string
	spacetest.New(t,
		spacetest.Micro{Name: "web", Primary: true,
			NewHandler: func(app *spacetest.App) (http.Handler, error) {
				resp, err := app.Client("web", client.WithRetryMax(0)).Get(
					context.Background(), "/")
				require.NoError(t, err)
				body = readAll(t, resp)
				return echo("web"), nil
			}},
	)
	assert.Equal(t, "spacetest: Micro \"web\" is starting: New has not built its handler "+
		"with NewHandler yet\n", body)
}

func TestNewHandlerFailures(t *testing.T) {
	t.Parallel()
	later := 0
	laterMicro := spacetest.Micro{Name: "worker",
		NewHandler: func(*spacetest.App) (http.Handler, error) {
			later++
			return echo("worker"), nil
		}}
	tests := []struct {
		name       string
		newHandler func(*spacetest.App) (http.Handler, error)
		message    string
	}{
		{"error", func(*spacetest.App) (http.Handler, error) {
			return nil, errors.New("open store: permission denied")
		}, `spacetest: Micro "api": NewHandler failed: open store: permission denied`},
		{"nil handler", func(*spacetest.App) (http.Handler, error) { return nil, nil },
			`spacetest: Micro "api": NewHandler returned a nil handler and no error: ` +
				`return the Micro's handler, or an error`},
		{"unknown micro", func(app *spacetest.App) (http.Handler, error) {
			return newGreeter(app.Env("apii"), app.Client("api"))
		}, `spacetest: App.Env("apii"): no such Micro: the app has "web", "api", "worker"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := fatalOf(t, func(tb testing.TB) {
				spacetest.New(tb,
					spacetest.Micro{Name: "web", Primary: true, Handler: echo("web")},
					spacetest.Micro{Name: "api", NewHandler: tt.newHandler},
					laterMicro,
				)
			})
			assert.Equal(t, tt.message, msg)
		})
	}
	assert.Zero(t, later, "New stops at the first NewHandler that fails")
}

func TestNewHandlerNotCalledForInvalidApp(t *testing.T) {
	t.Parallel()
	calls := 0
	msg := fatalOf(t, func(tb testing.TB) {
		spacetest.New(tb,
			spacetest.Micro{Name: "web", Primary: true,
				NewHandler: func(*spacetest.App) (http.Handler, error) {
					calls++
					return echo("web"), nil
				}},
			spacetest.Micro{Name: "api"},
		)
	})
	assert.Equal(t, `spacetest: invalid app: Micro "api": Handler and NewHandler are both `+
		`nil: set exactly one of them`, msg)
	assert.Zero(t, calls)
}

// notesNewHandlers builds the Micros of testdata/notes: web greets through the api Micro,
// which responds with its NOTES_TITLE, a presets.env default.
func notesNewHandlers() map[string]func(*spacetest.App) (http.Handler, error) {
	return map[string]func(*spacetest.App) (http.Handler, error){
		"web": func(app *spacetest.App) (http.Handler, error) {
			return newGreeter(app.Env("web"), app.Client("web"))
		},
		"api": func(app *spacetest.App) (http.Handler, error) {
			title, ok := app.Env("api").Lookup("NOTES_TITLE")
			if !ok {
				return nil, errors.New("NOTES_TITLE is not set")
			}
			return echo("api " + title), nil
		},
		"worker": func(*spacetest.App) (http.Handler, error) { return echo("worker"), nil },
	}
}

func TestFromSpacefileNewHandlers(t *testing.T) {
	t.Parallel()
	app := spacetest.FromSpacefileNewHandlers(t, "testdata/notes", notesNewHandlers())

	g := getGreeting(t, app.Browser(), app)
	assert.Equal(t, "web", g.Micro)
	assert.Equal(t, "api My notes", g.API.Micro)
	assert.Equal(t, "api_key", g.API.Auth)
	assert.Equal(t, "worker", decode(t, get(t, app.Browser(), app, "/v1/work/x")).Micro)
}

func TestMicrosFromSpacefileNewHandlers(t *testing.T) {
	t.Parallel()
	micros := spacetest.MicrosFromSpacefileNewHandlers(t, "testdata/notes", notesNewHandlers())
	require.Len(t, micros, 3)
	for _, m := range micros {
		assert.Nil(t, m.Handler, m.Name)
		assert.NotNil(t, m.NewHandler, m.Name)
	}
	assert.Equal(t, "/v1/work", micros[2].Path)
	app := spacetest.NewWithOptions(t, spacetest.Options{NoAuth: true}, micros...)
	assert.Equal(t, "api My notes", getGreeting(t, app.HTTPClient(), app).API.Micro)
}

func TestFromSpacefileNewHandlersFailures(t *testing.T) {
	t.Parallel()
	missing := notesNewHandlers()
	delete(missing, "worker")
	extra := notesNewHandlers()
	extra["admin"] = func(*spacetest.App) (http.Handler, error) { return echo("admin"), nil }
	tests := []struct {
		name        string
		newHandlers map[string]func(*spacetest.App) (http.Handler, error)
		message     string
	}{
		{"missing", missing, `Micro "worker" has no handler: add newHandlers["worker"]`},
		{"extra", extra, `newHandlers["admin"]: the Spacefile has no such Micro; it has ` +
			`"web", "api", "worker"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msg := fatalOf(t, func(tb testing.TB) {
				spacetest.FromSpacefileNewHandlers(tb, "testdata/notes", tt.newHandlers)
			})
			assert.Equal(t, fmt.Sprintf("spacetest: FromSpacefile(%q): %s", "testdata/notes",
				tt.message), msg)
		})
	}
}
