// Command spacetesting is a Micro small enough to show how spacetest tests one: main_test.go
// runs it behind the platform's router in the test's process, with no socket.
//
// GET /hello?name=Ada returns {"greeting":"Hello, Ada!"} to anyone, because the app lists
// "/hello" in the Micro's public_routes, as main_test.go does. GET /count returns how many
// greetings the Micro has sent, and only the app's owner and sibling Micros may ask: the
// router in front enforces that, as Space did, so the handler itself checks nothing.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"strconv"
	"sync/atomic"

	"github.com/spacekit/spacekit/envconfig"
)

func main() {
	cfg, err := envconfig.Load()
	if err != nil {
		log.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(cfg.Port)
	if cfg.OnSpace {
		addr = ":" + strconv.Itoa(cfg.Port)
	}
	log.Fatal(http.ListenAndServe(addr, newHandler()))
}

// newHandler returns the Micro's routes with a greeting counter of their own.
func newHandler() http.Handler {
	var greetings atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("name")
		if name == "" {
			name = "world"
		}
		greetings.Add(1)
		writeJSON(w, map[string]string{"greeting": "Hello, " + name + "!"})
	})
	mux.HandleFunc("GET /count", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]int64{"greetings": greetings.Load()})
	})
	return mux
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
