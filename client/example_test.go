package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/envconfig"
)

// startApp starts a stand-in for an app whose "api" Micro serves /api/notes and accepts only
// the app's key, as Space's router would.
func startApp(key string) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/notes", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") != key {
			http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"id":1,"title":"Buy milk"},{"id":2,"title":"Call Ada"}]`))
	})
	mux.HandleFunc("POST /api/notes", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Title string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]any{"id": 3, "title": in.Title})
	})
	return httptest.NewServer(mux)
}

// environment returns a Micro's environment as Space sets it, with the app's hostname taken
// from a local test server.
func environment(hostname, key string) func(string) (string, bool) {
	env := map[string]string{
		envconfig.EnvHostname:  hostname,
		envconfig.EnvAPIKey:    key,
		envconfig.EnvMicroName: "web",
	}
	return func(name string) (string, bool) {
		value, ok := env[name]
		return value, ok
	}
}

// A Micro reads its environment and calls its sibling "api" Micro under /api. On Space,
// client.FromEnv does the same from the process environment.
func ExampleClient_GetJSON() {
	app := startApp("app-internal-key")
	defer app.Close()
	hostname := strings.TrimPrefix(app.URL, "http://") // such as 127.0.0.1:41234
	cfg, err := envconfig.LoadFrom(environment(hostname, "app-internal-key"))
	if err != nil {
		fmt.Println(err)
		return
	}

	c, err := client.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.CloseIdleConnections()

	var notes []struct {
		ID    int
		Title string
	}
	if err := c.GetJSON(context.Background(), "/api/notes", &notes); err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range notes {
		fmt.Println(n.ID, n.Title)
	}
	// Output:
	// 1 Buy milk
	// 2 Call Ada
}

func ExampleClient_PostJSON() {
	app := startApp("app-internal-key")
	defer app.Close()
	hostname := strings.TrimPrefix(app.URL, "http://")
	cfg, _ := envconfig.LoadFrom(environment(hostname, "app-internal-key"))
	c, err := client.New(cfg, client.WithRetryMax(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.CloseIdleConnections()

	var created struct {
		ID    int
		Title string
	}
	in := map[string]string{"title": "Water plants"}
	if err := c.PostJSON(context.Background(), "/api/notes", in, &created); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(created.ID, created.Title)
	// Output:
	// 3 Water plants
}

// A status outside 2xx comes back from the JSON helpers as a *client.Error, which carries the
// status and the start of the response body but never the key.
func ExampleError() {
	app := startApp("app-internal-key")
	defer app.Close()
	hostname := strings.TrimPrefix(app.URL, "http://")
	cfg, _ := envconfig.LoadFrom(environment(hostname, "a-wrong-key"))
	c, err := client.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.CloseIdleConnections()

	err = c.GetJSON(context.Background(), "/api/notes?owner=ada", new([]any))
	var callErr *client.Error
	if errors.As(err, &callErr) {
		fmt.Println(callErr.StatusCode, callErr.Attempts)
		fmt.Println(strings.TrimPrefix(callErr.URL, app.URL))
		fmt.Println(callErr.Body)
	}
	// Output:
	// 401 1
	// /api/notes?owner=REDACTED
	// {"error":"unauthorized"}
}
