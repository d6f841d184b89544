package main

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
)

// Paths of the running router's control endpoint. Every path under controlPrefix belongs to
// spacedev and never reaches a Micro.
const (
	controlPrefix = "/__spacedev/"
	triggerPath   = controlPrefix + "trigger" // POST ?id=<action id>: runs the action now
	loginPath     = controlPrefix + "login"   // POST: returns a new one-time login URL
)

// maxActionResponseBytes bounds the part of an action's response that is passed on.
const maxActionResponseBytes = 1 << 20

// control serves the control endpoint in front of the router. Every request must carry the
// app's key in X-API-Key, which is compared in constant time. It is safe for concurrent use.
type control struct {
	apiKey   envconfig.Secret
	trigger  triggerFunc
	loginURL func() (string, error) // nil when authentication is off
	logger   *slog.Logger
	next     http.Handler // serves every other path

	rejections *throttledLogger // created on first use
	once       sync.Once
}

func (c *control) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, controlPrefix) {
		c.next.ServeHTTP(w, r)
		return
	}
	if !c.authorized(r) {
		c.once.Do(func() { c.rejections = newThrottledLogger(c.logger) })
		c.rejections.log(slog.LevelWarn, "control request rejected: missing or wrong X-API-Key",
			slog.String("path", r.URL.Path))
		writeJSONError(w, http.StatusUnauthorized, "unauthorized",
			"send the app's key (DETA_API_KEY) in X-API-Key")
		return
	}
	switch r.URL.Path {
	case triggerPath:
		c.serveTrigger(w, r)
	case loginPath:
		c.serveLogin(w, r)
	default:
		writeJSONError(w, http.StatusNotFound, "not_found", "no control endpoint "+r.URL.Path)
	}
}

func (c *control) authorized(r *http.Request) bool {
	got := r.Header.Get("X-API-Key")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(c.apiKey.Reveal())) == 1
}

// serveTrigger runs the action named by the id parameter and passes on the Micro's status,
// content type and body.
func (c *control) serveTrigger(w http.ResponseWriter, r *http.Request) {
	if !allowPost(w, r) {
		return
	}
	id := r.URL.Query().Get("id")
	if id == "" {
		writeJSONError(w, http.StatusBadRequest, "bad_request", "missing id: give the action's id")
		return
	}

	c.logger.Info("action requested with spacedev trigger", "action", id)
	resp, err := c.trigger(r.Context(), id)
	if errors.Is(err, router.ErrUnknownAction) {
		writeJSONError(w, http.StatusNotFound, "unknown_action", fmt.Sprintf("no Micro "+
			"declares action %q: check the ids with spacedev check", id))
		return
	}
	if err != nil {
		c.logger.Error("triggered action failed", "action", id, "error", err)
		writeJSONError(w, http.StatusBadGateway, "action_failed", err.Error())
		return
	}
	defer resp.Body.Close()

	if ct := resp.Header.Get("Content-Type"); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, io.LimitReader(resp.Body, maxActionResponseBytes))
}

func (c *control) serveLogin(w http.ResponseWriter, r *http.Request) {
	if !allowPost(w, r) {
		return
	}
	if c.loginURL == nil {
		writeJSONError(w, http.StatusConflict, "no_auth",
			"authentication is off (--no-auth): open the app's URL directly")
		return
	}
	url, err := c.loginURL()
	if err != nil {
		c.logger.Error("login URL failed", "error", err)
		writeJSONError(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]string{"url": url})
}

func allowPost(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodPost {
		return true
	}
	w.Header().Set("Allow", http.MethodPost)
	writeJSONError(w, http.StatusMethodNotAllowed, "method_not_allowed", "use POST")
	return false
}

func writeJSONError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "message": message})
}
