package middleware

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// maxLoginTokens bounds the login tokens that one [Sessions] stores, used ones included until
// they expire.
const maxLoginTokens = 10_000

// Reasons why a login token is not accepted. Their messages are sent to the client.
var (
	errLoginTokenUnknown = errors.New("the login token is not valid: request a new login link")
	errLoginTokenUsed    = errors.New("the login token was already used: request a new login link")
	errLoginTokenExpired = errors.New("the login token has expired: request a new login link")
)

// loginTokens stores the one-time login tokens that a [Sessions] issued, keyed by their SHA-256
// sums, so the map never contains a token itself. A used token stays until it expires, so that
// a second use is reported as such. The zero value is empty and ready. It is safe for
// concurrent use.
type loginTokens struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]loginToken
}

type loginToken struct {
	subject string // empty once used
	expires time.Time
	used    bool
}

// add stores token. When the store is full, it first drops the expired tokens.
func (t *loginTokens) add(token, subject string, expires, now time.Time) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.entries == nil {
		t.entries = make(map[[sha256.Size]byte]loginToken)
	}
	if len(t.entries) >= maxLoginTokens {
		t.dropExpired(now)
	}
	if len(t.entries) >= maxLoginTokens {
		return fmt.Errorf("middleware: NewLoginToken: %d login tokens are outstanding: wait "+
			"for them to expire, or shorten LoginTokenTTL", len(t.entries))
	}
	t.entries[sha256.Sum256([]byte(token))] = loginToken{subject: subject, expires: expires}
	return nil
}

func (t *loginTokens) dropExpired(now time.Time) {
	for key, entry := range t.entries {
		if !now.Before(entry.expires) {
			delete(t.entries, key)
		}
	}
}

// redeem marks token used and returns its subject. A token works once, before it expires.
func (t *loginTokens) redeem(token string, now time.Time) (string, error) {
	key := sha256.Sum256([]byte(token))
	t.mu.Lock()
	defer t.mu.Unlock()
	entry, ok := t.entries[key]
	switch {
	case !ok:
		return "", errLoginTokenUnknown
	case !now.Before(entry.expires):
		delete(t.entries, key)
		return "", errLoginTokenExpired
	case entry.used:
		return "", errLoginTokenUsed
	}
	t.entries[key] = loginToken{expires: entry.expires, used: true}
	return entry.subject, nil
}

// NewLoginToken returns a random one-time token that [Sessions.LoginHandler] exchanges for a
// session cookie of subject, until LoginTokenTTL has passed. Send it to the user over a channel
// that proves who they are, such as a link printed by the command that started the app. The
// token is valid only in this Sessions' memory. It returns an error when subject is invalid
// (see [Sessions.NewCookie]) or when 10,000 tokens are outstanding.
func (s *Sessions) NewLoginToken(subject string) (string, error) {
	if s == nil {
		return "", errors.New("middleware: NewLoginToken on a nil *Sessions: " +
			"create it with NewSessions")
	}
	if err := validateSubject("NewLoginToken", subject); err != nil {
		return "", err
	}
	token := rand.Text()
	now := s.now()
	if err := s.tokens.add(token, subject, now.Add(s.loginTokenTTL), now); err != nil {
		return "", err
	}
	return token, nil
}

// LoginHandler returns a handler for GET ?token=...&redirect_uri=... that exchanges a login
// token from [Sessions.NewLoginToken] for a session cookie and redirects with 302 to
// redirect_uri, or to "/" when it is absent. The cookie is Secure when the request came over
// https (see [SessionOptions.TrustForwardedProto]).
//
// redirect_uri must be on the request's own origin, so that the handler is no open redirect:
// either a path starting with a single "/", or an absolute URL whose scheme and host equal the
// request's. Any other value, or a repeated parameter, gets 400 without using the token. A
// missing token gets 400, and an unknown, used or expired token 401, each with a JSON body
// that names the reason. Methods other than GET get 405, so that link checkers that send HEAD
// cannot use up the token.
func (s *Sessions) LoginHandler() http.Handler {
	return http.HandlerFunc(s.serveLogin)
}

func (s *Sessions) serveLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeMethodNotAllowed(w, r, "GET")
		return
	}
	query := r.URL.Query()
	target, err := s.redirectTarget(r, query["redirect_uri"])
	if err != nil {
		s.failLogin(w, r, http.StatusBadRequest, "invalid_redirect_uri", err)
		return
	}
	tokens := query["token"]
	if len(tokens) != 1 || tokens[0] == "" {
		s.failLogin(w, r, http.StatusBadRequest, "missing_token",
			errors.New("the login link needs exactly one token parameter: "+
				"request a new login link"))
		return
	}
	subject, err := s.tokens.redeem(tokens[0], s.now())
	if err != nil {
		s.failLogin(w, r, http.StatusUnauthorized, "invalid_login_token", err)
		return
	}
	s.setCookieAndRedirect(w, r, subject, target)
}

// setCookieAndRedirect completes a login. The response is never cached and sends no Referer,
// because the login URL contains the token.
func (s *Sessions) setCookieAndRedirect(w http.ResponseWriter, r *http.Request, subject,
	target string) {
	cookie, err := s.NewCookie(subject, s.isHTTPS(r))
	if err != nil {
		// The subject was checked when the token was issued, so this is unreachable.
		s.failLogin(w, r, http.StatusInternalServerError, "internal_error", err)
		return
	}
	http.SetCookie(w, cookie)
	redirect(w, target)
}

func redirect(w http.ResponseWriter, target string) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Location", target)
	w.WriteHeader(http.StatusFound)
}

// failLogin sends the JSON error of a failed login and logs it without the query, which
// contains the token.
func (s *Sessions) failLogin(w http.ResponseWriter, r *http.Request, status int, code string,
	err error) {
	id, _ := RequestIDFrom(r.Context())
	s.log.log(r.Context(), slog.LevelInfo, "login failed",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", status), slog.String("reason", code), slog.String("request_id", id))
	writeJSONError(w, r, status, encodeErrorBody(code, err.Error()))
}

// LogoutHandler returns a handler that clears the session cookie and redirects with 302 to
// redirect_uri, or to "/" when it is absent. redirect_uri follows the rules of
// [Sessions.LoginHandler], and a value that breaks them gets 400. It accepts GET, HEAD and
// POST, and rejects other methods with 405.
func (s *Sessions) LogoutHandler() http.Handler {
	return http.HandlerFunc(s.serveLogout)
}

func (s *Sessions) serveLogout(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPost:
	default:
		writeMethodNotAllowed(w, r, "GET, HEAD, POST")
		return
	}
	target, err := s.redirectTarget(r, r.URL.Query()["redirect_uri"])
	if err != nil {
		writeJSONError(w, r, http.StatusBadRequest,
			encodeErrorBody("invalid_redirect_uri", err.Error()))
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name:     s.cookieName,
		Path:     "/",
		MaxAge:   -1,
		Secure:   s.isHTTPS(r),
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
	redirect(w, target)
}

func writeMethodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	writeJSONError(w, r, http.StatusMethodNotAllowed, encodeErrorBody("method_not_allowed",
		r.Method+" is not allowed: use "+allow))
}
