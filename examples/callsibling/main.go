// Command callsibling is a Micro that calls a sibling Micro of its app. [client.FromEnv] reads
// DETA_SPACE_APP_HOSTNAME and DETA_API_KEY, so each call goes to the app's own origin with the
// app's key in X-API-Key, and the same code works under spacedev and on Space.
//
// GET / returns what the sibling at path "api" returns for GET /status, which the api Micro
// receives as /status because the router strips the /api prefix.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"strconv"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/envconfig"
)

func main() {
	cfg, err := envconfig.Load()
	if err != nil {
		log.Fatal(err)
	}
	api, err := client.FromEnv()
	if err != nil {
		log.Fatal(err)
	}

	http.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		var status map[string]any
		// The request's context bounds the call, retries included.
		if err := api.GetJSON(r.Context(), "/api/status", &status); err != nil {
			http.Error(w, "call the api Micro: "+err.Error(), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(status)
	})
	log.Fatal(http.ListenAndServe(listenAddr(cfg), nil))
}

// listenAddr returns the Micro's address: every interface on Space, where the runtime reaches
// the Micro from outside, and loopback elsewhere, where only the local router needs to.
func listenAddr(cfg envconfig.Config) string {
	if cfg.OnSpace {
		return ":" + strconv.Itoa(cfg.Port)
	}
	return "127.0.0.1:" + strconv.Itoa(cfg.Port)
}
