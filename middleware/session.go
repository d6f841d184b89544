package middleware

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Session is a verified browser session.
type Session struct {
	// Subject identifies the user, as given to [Sessions.NewCookie] or
	// [Sessions.NewLoginToken].
	Subject string

	// Expires is when the session ends, to the second.
	Expires time.Time
}

// SessionVerifier verifies the session of a request, so that [Auth] can take sessions from
// any source. VerifySession returns an error matching [ErrNoSession] when the request carries
// no session, [ErrSessionExpired] when it has expired, and any other error when it is
// invalid. Implementations must be safe for concurrent use and must not modify r.
type SessionVerifier interface {
	VerifySession(r *http.Request) (Session, error)
}

// Errors of [Sessions.VerifySession], for [errors.Is]. [Auth] uses them to choose the message
// of a 401.
var (
	// ErrNoSession means that the request carries no session.
	ErrNoSession = errors.New("middleware: no session cookie")

	// ErrSessionExpired means that the request's session was valid but has expired.
	ErrSessionExpired = errors.New("middleware: session expired")

	// ErrInvalidSession means that the session cookie is malformed or signed by none of the
	// keys.
	ErrInvalidSession = errors.New("middleware: invalid session cookie")
)

// Defaults and limits of [SessionOptions].
const (
	DefaultCookieName    = "spacekit_session"
	DefaultSessionTTL    = 24 * time.Hour
	DefaultLoginTokenTTL = 10 * time.Minute

	// MinSessionKeyBytes is the minimum length of a signing key: the size of an HMAC-SHA256
	// output, as RFC 2104 recommends.
	MinSessionKeyBytes = 32

	// MaxSubjectBytes is the maximum length of a session's subject.
	MaxSubjectBytes = 256
)

// SessionOptions configures [NewSessions].
type SessionOptions struct {
	// Keys are the signing keys, each of at least [MinSessionKeyBytes] random bytes. Keys[0]
	// signs new cookies and every key verifies, so a key can be rotated in by putting it first
	// and rotated out once the sessions it signed have expired. Required.
	Keys [][]byte

	// CookieName is the session cookie's name. Default [DefaultCookieName].
	CookieName string

	// TTL is the lifetime of a session, at least one second. Default [DefaultSessionTTL].
	TTL time.Duration

	// LoginTokenTTL is the lifetime of a login token from [Sessions.NewLoginToken]. Default
	// [DefaultLoginTokenTTL].
	LoginTokenTTL time.Duration

	// Now returns the current time. Default [time.Now].
	Now func() time.Time

	// TrustForwardedProto makes the handlers treat a request with "X-Forwarded-Proto: https"
	// as https, and so set Secure on its cookie. Set it only behind a proxy that sets or
	// removes that header on every request. Requests that arrived over TLS are https anyway.
	TrustForwardedProto bool

	// Logger receives one line per failed login, at [slog.LevelInfo] and at most 10 lines a
	// second, without the token. Nil means no logs.
	Logger *slog.Logger
}

// Sessions issues and verifies session cookies signed with HMAC-SHA256, and exchanges
// one-time login tokens for them. It implements [SessionVerifier]. Make one with
// [NewSessions]. It is safe for concurrent use.
//
// A session cookie carries its subject and its expiry, both signed, so a cookie cannot be
// extended or moved to another user. Login tokens live in the memory of the Sessions that
// issued them.
//
// NOTE: a session cannot be revoked before it expires: logging out clears the browser's
// cookie, but a copy of the cookie stays valid until its expiry. Rotate the keys to end all
// sessions at once.
type Sessions struct {
	keys                [][]byte
	cookieName          string
	ttl                 time.Duration
	loginTokenTTL       time.Duration
	now                 func() time.Time
	trustForwardedProto bool
	log                 *throttledLogger
	tokens              loginTokens
}

// NewSessions validates opts and returns a Sessions. The error wraps [ErrInvalidOption] and
// names the option at fault, but never contains a key.
func NewSessions(opts SessionOptions) (*Sessions, error) {
	keys, err := copySessionKeys(opts.Keys)
	if err != nil {
		return nil, err
	}
	cookieName := cmp.Or(opts.CookieName, DefaultCookieName)
	if err := validateSessionOptions(opts, cookieName); err != nil {
		return nil, err
	}
	s := &Sessions{
		keys:                keys,
		cookieName:          cookieName,
		ttl:                 cmp.Or(opts.TTL, DefaultSessionTTL),
		loginTokenTTL:       cmp.Or(opts.LoginTokenTTL, DefaultLoginTokenTTL),
		now:                 opts.Now,
		trustForwardedProto: opts.TrustForwardedProto,
		log:                 newThrottledLogger(opts.Logger),
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

func copySessionKeys(keys [][]byte) ([][]byte, error) {
	if len(keys) == 0 {
		return nil, invalidOption("NewSessions", "Keys is empty: add a signing key of at "+
			"least %d random bytes, such as one read from crypto/rand", MinSessionKeyBytes)
	}
	copies := make([][]byte, len(keys))
	for i, key := range keys {
		if len(key) < MinSessionKeyBytes {
			return nil, invalidOption("NewSessions", "Keys[%d] has %d bytes: use at least %d "+
				"random bytes", i, len(key), MinSessionKeyBytes)
		}
		copies[i] = bytes.Clone(key)
	}
	return copies, nil
}

func validateSessionOptions(opts SessionOptions, cookieName string) error {
	cookie := http.Cookie{Name: cookieName, Value: "v"}
	switch {
	case cookie.Valid() != nil:
		return invalidOption("NewSessions", "CookieName %q is not a valid cookie name: "+
			"use letters, digits, \"-\" and \"_\"", opts.CookieName)
	case opts.TTL < 0 || (opts.TTL > 0 && opts.TTL < time.Second):
		return invalidOption("NewSessions", "TTL %v is too short: use 1s or more, "+
			"or 0 for the default of %v", opts.TTL, DefaultSessionTTL)
	case opts.LoginTokenTTL < 0:
		return invalidOption("NewSessions", "LoginTokenTTL %v is negative: use a positive "+
			"duration, or 0 for the default of %v", opts.LoginTokenTTL, DefaultLoginTokenTTL)
	}
	return nil
}

// NewCookie returns a session cookie for subject that expires after the TTL: HttpOnly,
// SameSite=Lax, Path=/, and Secure when secure is true, as it must be over https. Subject must
// be valid UTF-8 of 1 to [MaxSubjectBytes] bytes.
func (s *Sessions) NewCookie(subject string, secure bool) (*http.Cookie, error) {
	if s == nil {
		return nil, errors.New("middleware: NewCookie on a nil *Sessions: " +
			"create it with NewSessions")
	}
	if err := validateSubject("NewCookie", subject); err != nil {
		return nil, err
	}
	expires := time.Unix(s.now().Add(s.ttl).Unix(), 0)
	return &http.Cookie{
		Name:     s.cookieName,
		Value:    s.sign(expires.Unix(), subject),
		Path:     "/",
		Expires:  expires,
		MaxAge:   int(s.ttl / time.Second),
		Secure:   secure,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	}, nil
}

func validateSubject(fn, subject string) error {
	switch {
	case subject == "":
		return fmt.Errorf("middleware: %s: subject is empty: pass the user's ID", fn)
	case len(subject) > MaxSubjectBytes:
		return fmt.Errorf("middleware: %s: subject has %d bytes: use at most %d", fn,
			len(subject), MaxSubjectBytes)
	case !utf8.ValidString(subject):
		return fmt.Errorf("middleware: %s: subject is not valid UTF-8: pass the user's ID "+
			"as UTF-8 text", fn)
	}
	return nil
}

// maxSessionCookies is how many cookies of the session's name VerifySession tries. A browser
// sends more than one when another site on a parent domain set a cookie of the same name.
const maxSessionCookies = 4

// VerifySession verifies the request's session cookie. It returns an error matching
// [ErrNoSession] when there is no such cookie, [ErrSessionExpired] when the session has
// expired, and [ErrInvalidSession] when the cookie is malformed or signed by none of the keys.
// When the request has several cookies of the session's name, the first valid one counts.
func (s *Sessions) VerifySession(r *http.Request) (Session, error) {
	if s == nil || r == nil {
		return Session{}, ErrNoSession
	}
	firstErr := ErrNoSession
	for i, cookie := range r.CookiesNamed(s.cookieName) {
		if i == maxSessionCookies {
			break
		}
		session, err := s.verifyValue(cookie.Value)
		if err == nil {
			return session, nil
		}
		if firstErr == ErrNoSession {
			firstErr = err
		}
	}
	return Session{}, firstErr
}

// Session cookie values have the form <expiry>.<subject>.<signature>: the expiry in Unix
// seconds, then the subject and the HMAC-SHA256 signature in unpadded base64url. The signature
// covers sessionMACContext followed by <expiry>.<subject>, so a value signed for another
// purpose with the same key never verifies as a session.
const (
	sessionMACContext   = "spacekit session v1\n"
	maxCookieValueBytes = 4096
)

var encoding = base64.RawURLEncoding

func (s *Sessions) sign(expires int64, subject string) string {
	payload := strconv.FormatInt(expires, 10) + "." + encoding.EncodeToString([]byte(subject))
	return payload + "." + encoding.EncodeToString(sessionMAC(s.keys[0], payload))
}

func sessionMAC(key []byte, payload string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(sessionMACContext))
	mac.Write([]byte(payload))
	return mac.Sum(nil)
}

// verifyValue checks the signature of a cookie value first, then parses and checks what it
// signs.
func (s *Sessions) verifyValue(value string) (Session, error) {
	if value == "" {
		return Session{}, ErrNoSession
	}
	if len(value) > maxCookieValueBytes {
		return Session{}, fmt.Errorf("%w: longer than %d bytes", ErrInvalidSession,
			maxCookieValueBytes)
	}
	i := strings.LastIndexByte(value, '.')
	if i < 0 {
		return Session{}, fmt.Errorf("%w: no signature", ErrInvalidSession)
	}
	payload, signature := value[:i], value[i+1:]
	if !s.signedByAnyKey(payload, signature) {
		return Session{}, fmt.Errorf("%w: the signature matches no key", ErrInvalidSession)
	}
	return s.parsePayload(payload)
}

func (s *Sessions) signedByAnyKey(payload, signature string) bool {
	sig, err := encoding.DecodeString(signature)
	if err != nil || len(sig) != sha256.Size {
		return false
	}
	for _, key := range s.keys {
		if hmac.Equal(sig, sessionMAC(key, payload)) {
			return true
		}
	}
	return false
}

func (s *Sessions) parsePayload(payload string) (Session, error) {
	expiresText, subjectText, ok := strings.Cut(payload, ".")
	expires, err := strconv.ParseInt(expiresText, 10, 64)
	if !ok || err != nil || expires <= 0 {
		return Session{}, fmt.Errorf("%w: malformed expiry", ErrInvalidSession)
	}
	subject, err := encoding.DecodeString(subjectText)
	if err != nil || len(subject) == 0 {
		return Session{}, fmt.Errorf("%w: malformed subject", ErrInvalidSession)
	}
	session := Session{Subject: string(subject), Expires: time.Unix(expires, 0)}
	if !s.now().Before(session.Expires) {
		return Session{}, ErrSessionExpired
	}
	return session, nil
}

// isHTTPS reports whether r arrived over https, directly or, when trusted, through a proxy.
func (s *Sessions) isHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !s.trustForwardedProto {
		return false
	}
	proto := r.Header["X-Forwarded-Proto"]
	return len(proto) == 1 && strings.EqualFold(proto[0], "https")
}
