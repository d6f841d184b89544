package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/internal/router"
	"github.com/spacekit/spacekit/middleware"
)

func TestLoginHint(t *testing.T) {
	sessions, err := projectSessions(t.TempDir(), testKeys()).NewSessions(
		middleware.SessionOptions{})
	require.NoError(t, err)
	h := newLoginHint(sessions.LoginHandler(), "spacedev login examples/notes")
	token, err := sessions.NewLoginToken(ownerSubject)
	require.NoError(t, err)
	used, err := sessions.NewLoginToken(ownerSubject)
	require.NoError(t, err)
	useRec := httptest.NewRecorder()
	h.ServeHTTP(useRec, httptest.NewRequest("GET", router.LoginPath+"?token="+used, nil))
	require.Equal(t, http.StatusFound, useRec.Code, "the first use of a token logs in")

	tests := []struct {
		name       string
		method     string
		target     string
		accept     string
		wantStatus int
		wantHint   bool
		wantReason string // the reason the page gives, "" for none
	}{
		{"browser without token", "GET", router.LoginPath, "text/html,*/*;q=0.8", 400, true,
			""},
		{"browser after a redirect", "GET", router.LoginPath + "?redirect_uri=%2Fnotes",
			"text/html", 400, true, ""},
		{"browser HEAD", "HEAD", router.LoginPath, "text/html", 400, true, ""},
		{"browser with empty token", "GET", router.LoginPath + "?token=", "text/html", 400,
			true, "This login URL did not work: the login link needs exactly one token parameter."},
		{"browser with used token", "GET", router.LoginPath + "?token=" + used, "text/html",
			401, true, "This login URL did not work: the login token was already used."},
		{"browser with unknown token", "GET", router.LoginPath + "?token=AAAA", "text/html",
			401, true, "This login URL did not work: the login token is not valid."},
		{"JSON client with used token", "GET", router.LoginPath + "?token=" + used,
			"application/json", 401, false, ""},
		{"JSON client without token", "GET", router.LoginPath, "application/json", 400, false,
			""},
		{"HTML refused with q=0", "GET", router.LoginPath, "text/html;q=0, */*", 400, false,
			""},
		{"POST without token", "POST", router.LoginPath, "text/html", 405, false, ""},
		{"browser with token", "GET", router.LoginPath + "?token=" + token, "text/html", 302,
			false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, nil)
			req.Header.Set("Accept", tt.accept)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			assert.Equal(t, tt.wantStatus, rec.Code, rec.Body.String())
			if tt.wantStatus != http.StatusFound {
				assert.Empty(t, rec.Header().Values("Set-Cookie"), "no one is admitted")
			}
			if !tt.wantHint {
				assert.NotContains(t, rec.Body.String(), "spacedev login")
				return
			}
			assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			if tt.method == http.MethodHead {
				assert.Empty(t, rec.Body.String())
				return
			}
			body := rec.Body.String()
			assert.Contains(t, body, "<pre>spacedev login examples/notes</pre>")
			assert.Contains(t, body, "within 10 minutes")
			if tt.wantReason == "" {
				assert.NotContains(t, body, "did not work")
			} else {
				assert.Contains(t, body, tt.wantReason)
			}
		})
	}
}
