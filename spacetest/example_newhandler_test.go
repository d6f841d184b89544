package spacetest_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/spacetest"
)

// newWebHandler builds the web Micro's handler from its environment and the client for its
// siblings, which its main makes with envconfig.Load and client.New. GET / requests a greeting
// from the api Micro, at the path that the environment variable GREETING_PATH names.
func newWebHandler(cfg envconfig.Config, api *client.Client) (http.Handler, error) {
	greetingPath, ok := cfg.Lookup("GREETING_PATH")
	if !ok {
		return nil, errors.New("GREETING_PATH is not set: set it to the api Micro's path")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp, err := api.Get(r.Context(), greetingPath)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		greeting, _ := io.ReadAll(resp.Body)
		_, _ = fmt.Fprintf(w, "%s Micro %q got %q", cfg.MicroType, cfg.MicroName, greeting)
	}), nil
}

// ExampleMicro_newHandler builds a Micro's handler from the environment and the client that
// the App makes, as the Micro's main builds it at start-up:
//
//	cfg, err := envconfig.Load()
//	api, err := client.New(cfg)
//	handler, err := newWebHandler(cfg, api)
//
// In a test, pass the test's *testing.T to New instead of exampleT.
func ExampleMicro_newHandler() {
	t := &exampleT{}
	defer t.runCleanups()

	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "hello from "+r.URL.Path)
	})
	app := spacetest.New(t,
		spacetest.Micro{Name: "web", Primary: true,
			Env: map[string]string{"GREETING_PATH": "/api/greet"},
			NewHandler: func(app *spacetest.App) (http.Handler, error) {
				return newWebHandler(app.Env("web"), app.Client("web"))
			}},
		spacetest.Micro{Name: "api", Handler: api},
	)

	resp, err := app.Browser().Get(app.URL() + "/")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// Output:
	// 200 primary Micro "web" got "hello from /greet"
}
