package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/spacekit/spacekit/internal/router"
)

// maxLoginResponseBytes bounds the login handler's response that loginHint reads to find the
// reason of a failed login. The handler's JSON errors are far smaller.
const maxLoginResponseBytes = 4 << 10

// loginHint serves a page to a browser that opens the login path without a token, as after a
// redirect from a protected page, or with a token that failed, as after a reload or a restart
// of spacedev. The page shows how to get a new login URL. It admits no one: it sets no cookie
// and keeps the login handler's status, 400 without a token and 401 for a used, expired or
// unknown token. Every other request, and a login that succeeds, goes to next unchanged.
type loginHint struct {
	next    http.Handler
	command string // the command that prints a login URL, such as "spacedev login examples/notes"
}

// newLoginHint returns a loginHint in front of next that names command on its page.
func newLoginHint(next http.Handler, command string) loginHint {
	return loginHint{next: next, command: command}
}

// loginHintPage is the page of [loginHint]. It contains no project data beyond the command
// and the reason, which html/template escapes.
var loginHintPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Log in to this app</title></head>
<body>
<h1>Log in to this app</h1>
{{if .Reason}}<p>This login URL did not work: {{.Reason}}.</p>
{{end}}<p>This page needs a one-time login URL, which spacedev prints when <code>spacedev up</code>
starts. To get a new one, run this in a terminal:</p>
<pre>{{.Command}}</pre>
<p>Open the URL it prints in this browser. Each URL works once, within {{.Minutes}} minutes.</p>
</body>
</html>
`))

func (h loginHint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != router.LoginPath || !isBrowserNavigation(r) {
		h.next.ServeHTTP(w, r)
		return
	}
	if !r.URL.Query().Has("token") {
		h.writePage(w, r, http.StatusBadRequest, "")
		return
	}

	// The login handler's response is small: a redirect with a cookie, or a JSON error.
	rec := httptest.NewRecorder()
	h.next.ServeHTTP(rec, r)
	if rec.Code < http.StatusBadRequest || rec.Body.Len() > maxLoginResponseBytes {
		copyResponse(w, rec)
		return
	}
	h.writePage(w, r, rec.Code, loginFailureReason(rec.Body.Bytes()))
}

// writePage writes the hint page with status and, when it is not empty, the reason the
// login failed.
func (h loginHint) writePage(w http.ResponseWriter, r *http.Request, status int, reason string) {
	var page bytes.Buffer
	data := struct {
		Reason, Command string
		Minutes         int
	}{reason, h.command, int(loginTokenTTL / time.Minute)}
	if err := loginHintPage.Execute(&page, data); err != nil {
		http.Error(w, "render the login page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	header := w.Header()
	header.Set("Content-Type", "text/html; charset=utf-8")
	header.Set("Content-Length", strconv.Itoa(page.Len()))
	header.Set("Cache-Control", "no-store")
	header.Set("X-Content-Type-Options", "nosniff")
	header.Set("Content-Security-Policy", "default-src 'none'")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(page.Bytes())
	}
}

// loginFailureReason returns the message of the login handler's JSON error body, such as "the
// login token was already used", without the advice that follows a colon, or "" when body
// has no message.
func loginFailureReason(body []byte) string {
	var payload struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &payload) != nil {
		return ""
	}
	reason, _, _ := strings.Cut(payload.Message, ":")
	return strings.TrimSpace(reason)
}

// copyResponse writes the recorded response to w.
func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	header := w.Header()
	for name, values := range rec.Header() {
		header[name] = values
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// loginCommand returns the command that prints a login URL for the project in dir, as the
// user gave dir to spacedev up: "spacedev login" for the current folder.
func loginCommand(dir string) string {
	if dir == "" || dir == "." {
		return "spacedev login"
	}
	if strings.ContainsFunc(dir, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' ||
			'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	}) {
		return fmt.Sprintf("spacedev login '%s'", strings.ReplaceAll(dir, "'", `'\''`))
	}
	return "spacedev login " + dir
}
