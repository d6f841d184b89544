// Command worker is a Micro of the test app that declares scheduled actions. It records every
// action event it receives, with the request's Content-Type, its raw body and the time it
// arrived, and lists them at /events.
package main

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/spacekit/spacekit/cmd/spacedev/testdata/app/internal/microkit"
)

// event is the body Space posts to /__space/v0/actions, with what the worker saw of the
// request that carried it.
type event struct {
	Event struct {
		ID      string `json:"id"`
		Trigger string `json:"trigger"`
	} `json:"event"`
	ContentType string    `json:"content_type"`
	RawBody     string    `json:"raw_body"`
	Received    time.Time `json:"received"`
}

type recorder struct {
	mu     sync.Mutex
	events []event
}

func (rec *recorder) action(w http.ResponseWriter, r *http.Request) {
	received := time.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read action event: "+err.Error(), http.StatusBadRequest)
		return
	}
	var e event
	if err := json.Unmarshal(body, &e); err != nil {
		http.Error(w, "invalid action event: "+err.Error(), http.StatusBadRequest)
		return
	}
	e.ContentType, e.RawBody, e.Received = r.Header.Get("Content-Type"), string(body), received
	log.Printf("action %s (%s)", e.Event.ID, e.Event.Trigger)
	rec.mu.Lock()
	rec.events = append(rec.events, e)
	rec.mu.Unlock()
	microkit.WriteJSON(w, map[string]string{"done": e.Event.ID})
}

func (rec *recorder) list(w http.ResponseWriter, _ *http.Request) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	microkit.WriteJSON(w, rec.events)
}

func main() {
	rec := &recorder{events: []event{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /env", microkit.Env)
	mux.HandleFunc("POST /__space/v0/actions", rec.action)
	mux.HandleFunc("GET /events", rec.list)
	mux.HandleFunc("/", microkit.Echo)
	microkit.ListenAndServe(mux)
}
