package router

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// errRequestTimeout is the cause of a request context that the router's timeout ended.
var errRequestTimeout = errors.New("router: the request exceeded the request timeout")

// routerError is a response that the router sends itself, as JSON of the same shape as the
// middleware package's 401: {"error":"<code>","message":"<message>"}.
type routerError struct {
	status int
	body   []byte
	// closeConn sets Connection: close, so the server closes the connection after a 504 sent
	// while the handler still runs and keeps the connection busy.
	closeConn bool
}

func newRouterError(status int, code, message string, closeConn bool) *routerError {
	body, _ := json.Marshal(struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}{code, message})
	return &routerError{status: status, body: append(body, '\n'), closeConn: closeConn}
}

var errorNotFound = newRouterError(http.StatusNotFound, "not_found",
	"this path belongs to the Space runtime", false)

func newTimeoutError(timeout time.Duration) *routerError {
	return newRouterError(http.StatusGatewayTimeout, "gateway_timeout",
		"the Micro did not answer within "+timeout.String(), true)
}

func newBodyTooLargeError(maxBody int64) *routerError {
	return newRouterError(http.StatusRequestEntityTooLarge, "payload_too_large",
		"the request body exceeds "+strconv.FormatInt(maxBody, 10)+" bytes", false)
}

// write sends the error response to w, which must not have started a response.
func (e *routerError) write(w http.ResponseWriter) {
	h := w.Header()
	clear(h)
	h["Content-Type"] = []string{"application/json"}
	h["Cache-Control"] = []string{"no-store"}
	h["X-Content-Type-Options"] = []string{"nosniff"}
	h["Content-Length"] = []string{strconv.Itoa(len(e.body))}
	if e.closeConn {
		h["Connection"] = []string{"close"}
	}
	w.WriteHeader(e.status)
	_, _ = w.Write(e.body)
}
