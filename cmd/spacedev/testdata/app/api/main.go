// Command api is a Micro of the test app on the path /api. It echoes requests, reports its
// environment and exits with status 3 on POST /crash, so tests can watch spacedev handle a
// crash.
package main

import (
	"log"
	"net/http"
	"os"

	"github.com/spacekit/spacekit/cmd/spacedev/testdata/app/internal/microkit"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /env", microkit.Env)
	mux.HandleFunc("POST /crash", func(http.ResponseWriter, *http.Request) {
		log.Print("crashing on request")
		os.Exit(3)
	})
	mux.HandleFunc("/", microkit.Echo)
	microkit.ListenAndServe(mux)
}
