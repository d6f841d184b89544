package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/spacekit/spacekit/internal/router"
)

func fakeTrigger(_ context.Context, id string) (*http.Response, error) {
	switch id {
	case "ok":
		return &http.Response{StatusCode: 202,
			Header: http.Header{"Content-Type": {"text/plain"}},
			Body:   io.NopCloser(strings.NewReader("queued"))}, nil
	case "broken":
		return nil, fmt.Errorf("router: Trigger(%q): %w", id, router.ErrActionAborted)
	}
	return nil, fmt.Errorf("router: Trigger(%q): %w", id, router.ErrUnknownAction)
}

func TestControl(t *testing.T) {
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})
	ctl := &control{apiKey: "the-key", trigger: fakeTrigger, logger: slog.New(slog.DiscardHandler),
		next: next, loginURL: func() (string, error) { return "http://x/__space/login?token=t", nil }}

	tests := []struct {
		name, method, target, key string
		status                    int
		body                      string
	}{
		{"other path", "GET", "/api/x", "", 418, ""},
		{"no key", "POST", "/__spacedev/trigger?id=ok", "", 401,
			`{"error":"unauthorized","message":"send the app's key (DETA_API_KEY) in X-API-Key"}`},
		{"wrong key", "POST", "/__spacedev/trigger?id=ok", "the-kez", 401,
			`{"error":"unauthorized","message":"send the app's key (DETA_API_KEY) in X-API-Key"}`},
		{"GET", "GET", "/__spacedev/trigger?id=ok", "the-key", 405,
			`{"error":"method_not_allowed","message":"use POST"}`},
		{"no id", "POST", "/__spacedev/trigger", "the-key", 400,
			`{"error":"bad_request","message":"missing id: give the action's id"}`},
		{"unknown action", "POST", "/__spacedev/trigger?id=nope", "the-key", 404,
			`{"error":"unknown_action","message":"no Micro declares action \"nope\": check the ` +
				`ids with spacedev check"}`},
		{"aborted action", "POST", "/__spacedev/trigger?id=broken", "the-key", 502,
			`{"error":"action_failed","message":"router: Trigger(\"broken\"): action aborted"}`},
		{"action", "POST", "/__spacedev/trigger?id=ok", "the-key", 202, "queued"},
		{"login", "POST", "/__spacedev/login", "the-key", 200,
			`{"url":"http://x/__space/login?token=t"}`},
		{"unknown endpoint", "POST", "/__spacedev/reload", "the-key", 404,
			`{"error":"not_found","message":"no control endpoint /__spacedev/reload"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, nil)
			if tt.key != "" {
				req.Header.Set("X-API-Key", tt.key)
			}
			rec := httptest.NewRecorder()
			ctl.ServeHTTP(rec, req)
			assert.Equal(t, tt.status, rec.Code)
			assert.Equal(t, tt.body, strings.TrimSpace(rec.Body.String()))
		})
	}
}

func TestControlLoginWithoutAuth(t *testing.T) {
	ctl := &control{apiKey: "k", trigger: fakeTrigger, logger: slog.New(slog.DiscardHandler)}
	req := httptest.NewRequest("POST", loginPath, nil)
	req.Header.Set("X-API-Key", "k")
	rec := httptest.NewRecorder()
	ctl.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusConflict, rec.Code)
	assert.Contains(t, rec.Body.String(), "authentication is off (--no-auth)")
}
