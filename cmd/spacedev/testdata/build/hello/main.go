// Command hello is a Micro that responds "hello from a built binary" on every path. It
// listens on 127.0.0.1:$PORT.
package main

import (
	"io"
	"log"
	"net/http"
	"os"
)

func main() {
	handler := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "hello from a built binary\n")
	})
	log.Fatal(http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), handler))
}
