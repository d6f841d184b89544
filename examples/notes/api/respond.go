package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// maxBodyBytes is the maximum size of a request body that the api Micro reads.
const maxBodyBytes = 64 << 10

// errorBody is the JSON body of every error response, in the shape that the middleware uses
// for 401.
type errorBody struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// requestError is an error in the client's request, with the status and message of the
// response.
type requestError struct {
	status  int
	code    string
	message string
}

func (e *requestError) Error() string { return e.message }

func badRequest(format string, args ...any) *requestError {
	return &requestError{http.StatusBadRequest, "bad_request", fmt.Sprintf(format, args...)}
}

// writeJSON sends v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // An error means the client went away, so none is sent.
}

func writeError(w http.ResponseWriter, e *requestError) {
	writeJSON(w, e.status, errorBody{Error: e.code, Message: e.message})
}

// decodeJSON reads one JSON object from the body of r into v. It rejects a body that is not
// application/json, larger than maxBodyBytes, has fields that v lacks or has data after the
// object.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) *requestError {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "application/json" {
		return &requestError{http.StatusUnsupportedMediaType, "unsupported_media_type",
			"the body must be JSON: set Content-Type: application/json"}
	}

	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return badRequest("invalid JSON body: it must contain one object and nothing after it")
	}
	return nil
}

func decodeError(err error) *requestError {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return &requestError{http.StatusRequestEntityTooLarge, "too_large",
			fmt.Sprintf("the body is larger than %d bytes", tooLarge.Limit)}
	}
	if errors.Is(err, io.EOF) {
		return badRequest("the body is empty: send a JSON object")
	}
	return badRequest("invalid JSON body: %v", err)
}
