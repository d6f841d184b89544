package spacetest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/spacetest"
)

// Example tests a web Micro that calls its sibling, the api Micro, with the client that its
// environment configures. NewHandler builds the web Micro's handler once the App has made
// that client. In a test, pass the test's *testing.T to New instead of exampleT.
func Example() {
	t := &exampleT{}
	defer t.runCleanups()

	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"greeting": "hello from " + r.URL.Path})
	})
	// newWeb returns the web Micro's handler, which calls the api Micro with sibling.
	newWeb := func(sibling *client.Client) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var out struct {
				Greeting string `json:"greeting"`
			}
			if err := sibling.GetJSON(r.Context(), "/api/greet", &out); err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			_, _ = fmt.Fprintf(w, "web got %q", out.Greeting)
		})
	}
	app := spacetest.New(t,
		spacetest.Micro{Name: "web", Primary: true,
			NewHandler: func(app *spacetest.App) (http.Handler, error) {
				return newWeb(app.Client("web")), nil
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
	for _, r := range app.Requests("api") {
		fmt.Println(r.Method, r.URL, "X-API-Key:", r.Header.Get("X-API-Key"))
	}
	// Output:
	// 200 web got "hello from /greet"
	// GET /greet X-API-Key: [REDACTED]
}

// exampleT replaces the *testing.T of a test, which an Example does not have. It implements
// only the methods that spacetest calls, and runs the cleanups at the end of the Example.
type exampleT struct {
	testing.TB // nil: any other method would panic
	cleanups   []func()
}

func (t *exampleT) Helper()          {}
func (t *exampleT) Cleanup(f func()) { t.cleanups = append(t.cleanups, f) }

func (t *exampleT) Errorf(format string, args ...any) { fmt.Printf(format+"\n", args...) }

func (t *exampleT) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf(format, args...))
}

func (t *exampleT) runCleanups() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}
