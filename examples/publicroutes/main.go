// Command publicroutes is a Micro that protects every route except its public ones, as a
// Spacefile's public_routes did on Space. Anyone may read / and everything under /public/,
// while /private needs the app's key in X-API-Key or the session of a logged-in browser. A
// local router (spacedev or spacetest) gives the Micro its session key and cookie name in
// SPACEKIT_SESSION_KEY and SPACEKIT_SESSION_COOKIE, and middleware.AuthFromEnv verifies the
// session cookie with them. Any other request to /private gets 401.
//
// The patterns are relative to the Micro, anchored at both ends, and "*" matches any run of
// characters, "/" included: "/public/*" matches /public/ and /public/a/b but not /public.
package main

import (
	"fmt"
	"log"
	"net/http"
	"strconv"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/middleware"
)

func main() {
	cfg, err := envconfig.Load()
	if err != nil {
		log.Fatal(err)
	}
	auth, err := middleware.AuthFromEnv(cfg, middleware.AuthOptions{
		PublicRoutes: []string{"/", "/public/*"},
	})
	if err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "home: public")
	})
	mux.HandleFunc("GET /public/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "public file", r.URL.Path)
	})
	mux.HandleFunc("GET /private", func(w http.ResponseWriter, r *http.Request) {
		info, _ := middleware.AuthInfoFrom(r.Context())
		fmt.Fprintln(w, "private: admitted by", info.Method)
	})
	log.Fatal(http.ListenAndServe(listenAddr(cfg), auth(mux)))
}

// listenAddr returns the Micro's address: every interface on Space, where the runtime reaches
// the Micro from outside, and loopback elsewhere, where only the local router needs to.
func listenAddr(cfg envconfig.Config) string {
	if cfg.OnSpace {
		return ":" + strconv.Itoa(cfg.Port)
	}
	return "127.0.0.1:" + strconv.Itoa(cfg.Port)
}
