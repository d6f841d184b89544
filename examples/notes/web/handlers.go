package main

import (
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/middleware"
)

// shareTokenPattern matches the share tokens that the api Micro makes (crypto/rand.Text), with
// room to spare. Anything else is not found without a call to the api Micro.
var shareTokenPattern = regexp.MustCompile(`^[A-Za-z0-9]{1,64}$`)

// site serves the notes page, its script and the public share pages.
type site struct {
	api    *client.Client // calls the api Micro with the app's key
	pages  *pages
	logger *slog.Logger
}

// routes returns the handler of every route of the web Micro, the app's primary Micro.
func (s *site) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.index)
	mux.HandleFunc("GET /app.js", s.script)
	mux.HandleFunc("GET /share/{token}", s.share)
	return mux
}

func (s *site) index(w http.ResponseWriter, r *http.Request) {
	s.pages.render(w, http.StatusOK, "index.html", map[string]any{})
}

func (s *site) script(w http.ResponseWriter, r *http.Request) {
	js, err := assets.ReadFile("assets/app.js")
	if err != nil {
		http.Error(w, "the script is missing from the build", http.StatusInternalServerError)
		return
	}
	s.pages.setHeaders(w, "text/javascript; charset=utf-8")
	_, _ = w.Write(js)
}

// sharedNote is the part of the api Micro's note that the share page shows.
type sharedNote struct {
	Text    string    `json:"text"`
	Created time.Time `json:"created"`
}

// share renders one shared note to anyone. It fetches the note server-side from the api
// Micro with the app's key, which never reaches the browser.
func (s *site) share(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if !shareTokenPattern.MatchString(token) {
		s.renderNotFound(w)
		return
	}

	var note sharedNote
	err := s.api.GetJSON(r.Context(), "/api/shared/"+token, &note)
	var apiErr *client.Error
	switch {
	case err == nil:
		s.pages.render(w, http.StatusOK, "share.html", map[string]any{"Found": true,
			"Note": note})
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound:
		s.renderNotFound(w)
	default:
		id, _ := middleware.RequestIDFrom(r.Context())
		// The share token is a credential for its note, so the log shows it redacted.
		message := strings.ReplaceAll(err.Error(), token, "[REDACTED]")
		s.logger.Error("load shared note", "request_id", id, "error", message)
		s.pages.render(w, http.StatusBadGateway, "share.html", map[string]any{
			"Message": "The note could not be loaded. Try again in a minute."})
	}
}

func (s *site) renderNotFound(w http.ResponseWriter) {
	s.pages.render(w, http.StatusNotFound, "share.html", map[string]any{
		"Message": "This note does not exist, or its owner stopped sharing it."})
}
