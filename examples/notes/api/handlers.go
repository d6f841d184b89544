package main

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/spacekit/spacekit/middleware"
)

// api serves the notes of a [Store] as JSON. Its routes are micro-relative: the router strips
// the /api prefix, so a browser's /api/notes arrives as /notes.
type api struct {
	store  *Store
	logger *slog.Logger
}

// routes returns the handler of every route of the api Micro.
func (a *api) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /notes", a.list)
	mux.HandleFunc("POST /notes", a.create)
	mux.HandleFunc("GET /notes/{id}", a.get)
	mux.HandleFunc("PATCH /notes/{id}", a.update)
	mux.HandleFunc("DELETE /notes/{id}", a.delete)
	mux.HandleFunc("GET /shared/{token}", a.shared)
	return mux
}

func (a *api) list(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.store.List())
}

// createRequest is the body of POST /notes.
type createRequest struct {
	Text   string `json:"text"`
	Shared bool   `json:"shared"`
}

func (a *api) create(w http.ResponseWriter, r *http.Request) {
	var body createRequest
	if e := decodeJSON(w, r, &body); e != nil {
		writeError(w, e)
		return
	}
	note, err := a.store.Add(body.Text, body.Shared)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "notes/"+url.PathEscape(note.ID))
	writeJSON(w, http.StatusCreated, note)
}

func (a *api) get(w http.ResponseWriter, r *http.Request) {
	note, err := a.store.Get(r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, note)
}

// updateRequest is the body of PATCH /notes/{id}. Shared is a pointer so that a missing field
// is an error rather than false.
type updateRequest struct {
	Shared *bool `json:"shared"`
}

func (a *api) update(w http.ResponseWriter, r *http.Request) {
	var body updateRequest
	if e := decodeJSON(w, r, &body); e != nil {
		writeError(w, e)
		return
	}
	if body.Shared == nil {
		writeError(w, badRequest(`the body has no "shared" field: set it to true or false`))
		return
	}
	note, err := a.store.SetShared(r.PathValue("id"), *body.Shared)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, note)
}

func (a *api) delete(w http.ResponseWriter, r *http.Request) {
	if err := a.store.Delete(r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// shared returns the shared note with the given share token. The web Micro calls it with the
// app's key to render its public share page.
func (a *api) shared(w http.ResponseWriter, r *http.Request) {
	note, err := a.store.FindShared(r.PathValue("token"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, note)
}

// fail sends the response for an error from the store: 404 for a missing note, 400 for
// invalid text and 500, logged, for anything else.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		writeError(w, &requestError{http.StatusNotFound, "not_found", err.Error()})
	case errors.Is(err, ErrInvalidText):
		writeError(w, badRequest("%v", err))
	default:
		id, _ := middleware.RequestIDFrom(r.Context())
		a.logger.Error("request failed", "method", r.Method, "path", r.URL.Path,
			"request_id", id, "error", err)
		writeError(w, &requestError{http.StatusInternalServerError, "internal",
			"the note could not be saved: try again later"})
	}
}
