// Command web is the primary Micro of the test app. It echoes requests, reports its
// environment, greets on a public route and calls the api Micro with the app's key.
package main

import (
	"net/http"
	"os"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/cmd/spacedev/testdata/app/internal/microkit"
)

func main() {
	c, err := client.FromEnv()
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /env", microkit.Env)
	mux.HandleFunc("GET /public/hello", func(w http.ResponseWriter, _ *http.Request) {
		microkit.WriteJSON(w, map[string]string{"greeting": os.Getenv("APP_GREETING")})
	})
	mux.HandleFunc("GET /call-api", func(w http.ResponseWriter, r *http.Request) {
		callAPI(w, r, c)
	})
	mux.HandleFunc("/", microkit.Echo)
	microkit.ListenAndServe(mux)
}

// callAPI sends GET /api/whoami to the api Micro, through the app's hostname and with
// DETA_API_KEY, and returns the api Micro's report of that request.
func callAPI(w http.ResponseWriter, r *http.Request, c *client.Client) {
	var got microkit.Request
	if err := c.GetJSON(r.Context(), "/api/whoami", &got); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	microkit.WriteJSON(w, map[string]any{"api": got})
}
