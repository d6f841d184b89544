package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/middleware"
)

const (
	// collectStatsID is the id of the scheduled action in the Spacefile.
	collectStatsID = "collect-stats"

	// actionsPath is where Space sends the events of scheduled actions, relative to the Micro.
	actionsPath = "/__space/v0/actions"

	// notesPath is the api Micro's list of notes, relative to the app's origin.
	notesPath = "/api/notes"

	// maxEventBytes is the maximum size of an action event that the worker reads.
	maxEventBytes = 16 << 10
)

// worker collects statistics about the notes on each collect-stats event and serves them.
type worker struct {
	api    *client.Client // calls the api Micro with the app's key
	stats  *StatsStore
	now    func() time.Time
	logger *slog.Logger
}

// routes returns the handler of every route of the worker Micro. The router strips the
// /worker prefix, so a browser's /worker/stats arrives as /stats.
func (wk *worker) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+actionsPath, wk.action)
	mux.HandleFunc("GET /stats", wk.getStats)
	return mux
}

func (wk *worker) getStats(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, wk.stats.Get())
}

// actionEvent is the body that Space sends for a scheduled action.
type actionEvent struct {
	Event struct {
		ID      string `json:"id"`
		Trigger string `json:"trigger"`
	} `json:"event"`
}

// action runs the action named in the event and returns the new statistics. An unknown
// action id gets 400, and a failed call to the api Micro gets 502.
func (wk *worker) action(w http.ResponseWriter, r *http.Request) {
	var event actionEvent
	err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxEventBytes)).Decode(&event)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", "invalid action event: "+err.Error())
		return
	}
	if event.Event.ID != collectStatsID {
		writeError(w, http.StatusBadRequest, "bad_request", fmt.Sprintf(
			"unknown action id %q: this Micro runs only %q", event.Event.ID, collectStatsID))
		return
	}

	stats, err := wk.collect(r.Context())
	if err != nil {
		id, _ := middleware.RequestIDFrom(r.Context())
		wk.logger.Error("action failed", "action", collectStatsID, "request_id", id,
			"error", err)
		writeError(w, http.StatusBadGateway, "bad_gateway", err.Error())
		return
	}
	wk.logger.Info("action done", "action", collectStatsID, "notes", stats.Notes,
		"shared", stats.Shared, "runs", stats.Runs)
	writeJSON(w, http.StatusOK, stats)
}

// apiNote is the part of the api Micro's note that the statistics need.
type apiNote struct {
	Shared bool `json:"shared"`
}

// collect lists the notes through the api Micro and records their counts.
func (wk *worker) collect(ctx context.Context) (Stats, error) {
	var notes []apiNote
	if err := wk.api.GetJSON(ctx, notesPath, &notes); err != nil {
		return Stats{}, fmt.Errorf("collect statistics: list notes: %w", err)
	}

	shared := 0
	for _, n := range notes {
		if n.Shared {
			shared++
		}
	}
	return wk.stats.Record(len(notes), shared, wk.now())
}

// writeJSON sends v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // An error means the client went away, so none is sent.
}

// writeError sends a JSON error body in the shape that the middleware uses for 401.
func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]string{"error": code, "message": message})
}
