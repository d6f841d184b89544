package middleware

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/spacekit/spacekit/envconfig"
)

// Method is the way in which [Auth] admitted a request.
type Method string

// The ways [Auth] admits a request, in the order it tries them.
const (
	// MethodPublic: the path matches one of [AuthOptions.PublicRoutes].
	MethodPublic Method = "public"

	// MethodAPIKey: X-API-Key contains one of [AuthOptions.APIKeys].
	MethodAPIKey Method = "api_key"

	// MethodAppKey: X-Space-App-Key contains one of [AuthOptions.AppKeys].
	MethodAppKey Method = "app_key"

	// MethodSession: [AuthOptions.Sessions] verified the request's session.
	MethodSession Method = "session"
)

// AuthInfo is the outcome of [Auth] for an admitted request, as [AuthInfoFrom] returns it. It
// never contains a key or a cookie value.
type AuthInfo struct {
	// Method is the way in which [Auth] admitted the request: one of [MethodPublic],
	// [MethodAPIKey], [MethodAppKey] and [MethodSession].
	Method Method

	// Session is the verified session when Method is [MethodSession], else the zero Session.
	Session Session
}

// AuthOptions configures [Auth]. Every field is optional, but at least one of APIKeys, AppKeys
// and Sessions must be set unless PublicRoutes makes every route public.
type AuthOptions struct {
	// APIKeys are the keys accepted in X-API-Key, such as the app's DETA_API_KEY, which Micros
	// send each other. Several keys allow rotation. Each must be non-empty and at most
	// [MaxKeyBytes] long.
	APIKeys []envconfig.Secret

	// AppKeys are the keys accepted in X-Space-App-Key: keys that the app's user created for a
	// Micro with presets.api_keys. The same rules as for APIKeys apply.
	AppKeys []envconfig.Secret

	// PublicRoutes are the Spacefile's public_routes patterns, relative to the Micro's root,
	// such as "/public/*". A request whose path matches one is admitted without credentials,
	// even when it carries a wrong key. Each pattern must be non-empty and start with "/". In
	// a pattern, "*" matches any run of characters, "/" and the empty run included. A pattern
	// must match the whole path, case-sensitively, and the query is not part of the path.
	// Space's `public: true` is the pattern "/*".
	PublicRoutes []string

	// Sessions verifies browser sessions, usually a [*Sessions]. Nil, or a nil pointer or
	// function in the interface, means no sessions.
	Sessions SessionVerifier

	// LoginURL is the login page to which a browser navigation without valid credentials is
	// redirected, with the URI it requested in a redirect_uri parameter. It is an absolute
	// path such as "/__space/login" or an http or https URL. Empty means such requests get 401
	// like any other.
	LoginURL string

	// Logger receives one line per rejected request, with its method, path, reason and
	// request ID, at [slog.LevelInfo] and at most 10 lines a second. Nil means no logs.
	Logger *slog.Logger
}

// authInfoKey is the context key of the *AuthInfo that [Auth] stores.
type authInfoKey struct{}

// The AuthInfo values of the methods that carry no session, shared so that storing one in a
// context allocates nothing for the value. [AuthInfoFrom] returns copies.
var (
	infoPublic = &AuthInfo{Method: MethodPublic}
	infoAPIKey = &AuthInfo{Method: MethodAPIKey}
	infoAppKey = &AuthInfo{Method: MethodAppKey}
)

// authenticator is the validated form of [AuthOptions]. It is immutable once built.
type authenticator struct {
	apiKeys  keySet
	appKeys  keySet
	public   publicRoutes
	sessions SessionVerifier
	loginURL string
	log      *throttledLogger
}

// Auth returns middleware that admits a request when any of these checks passes, tried in this
// order:
//
//   - its cleaned path matches a public route;
//   - X-API-Key contains one of the API keys;
//   - X-Space-App-Key contains one of the app keys;
//   - the session verifier accepts it.
//
// A key header must appear once. The handler then finds how the request was admitted with
// [AuthInfoFrom].
//
// Auth decides on the cleaned, decoded path and passes the handler that same path. When
// cleaning changes the path, the handler gets a copy of the request with the cleaned Path, and
// with the cleaned RawPath when that still decodes to Path. A path whose escaped form contains
// an encoded slash ("%2F") is never public.
//
// Every other request is rejected. A browser navigation (a GET or HEAD whose Accept header
// lists text/html) is redirected with 302 to LoginURL, carrying a redirect_uri parameter with
// X-Forwarded-Prefix (when it is a clean absolute path) followed by the request URI. Other
// requests, and browser navigations when LoginURL is empty, get 401 with a JSON body such as
// {"error":"unauthorized","message":"..."} (none for HEAD) and Cache-Control: no-store. Both
// carry "Server: Deta-spacekit": Space's service worker took a 401 from a Server starting with
// "Deta" to mean "log in first".
//
// Auth fails closed: it returns an error wrapping [ErrInvalidOption] when an option is
// invalid, or when nothing could ever authenticate a request (no keys and no sessions) and not
// every route is public. The middleware is safe for concurrent use. Applied to a nil handler,
// it protects [http.DefaultServeMux].
func Auth(opts AuthOptions) (func(http.Handler) http.Handler, error) {
	a, err := newAuthenticator("Auth", opts)
	if err != nil {
		return nil, err
	}
	return a.wrap, nil
}

// AuthFromEnv is [Auth] configured from a Micro's environment, the common case of a Micro
// that sibling Micros call and that sits behind the app's router:
//
//   - cfg.APIKey, the app's DETA_API_KEY, is added to opts.APIKeys. AuthFromEnv returns an
//     error when it is empty, and it does not modify opts.APIKeys.
//   - When opts.Sessions is nil and cfg.SessionKey (SPACEKIT_SESSION_KEY) is set, a
//     [Sessions] verifies the session cookies that the router issued. Its only key is the
//     bytes of cfg.SessionKey, and its cookie name is cfg.SessionCookie
//     (SPACEKIT_SESSION_COOKIE), or [DefaultCookieName] when that is empty. The local routers
//     (spacedev and spacetest) set both variables, so a Micro admits the browser sessions
//     that the router forwards with no code of its own. Space itself set neither.
//
// A non-nil opts.Sessions takes precedence over cfg.SessionKey. The error wraps
// [ErrInvalidOption] and names the variable at fault, but never contains a key.
func AuthFromEnv(cfg envconfig.Config, opts AuthOptions) (func(http.Handler) http.Handler, error) {
	if cfg.APIKey.IsZero() {
		return nil, invalidOption("AuthFromEnv", "cfg.APIKey is empty: set %s, "+
			"or read cfg with envconfig.Load", envconfig.EnvAPIKey)
	}
	opts.APIKeys = append(slices.Clip(opts.APIKeys), cfg.APIKey)
	if opts.Sessions == nil && !cfg.SessionKey.IsZero() {
		sessions, err := sessionsFromEnv(cfg)
		if err != nil {
			return nil, err
		}
		opts.Sessions = sessions
	}
	a, err := newAuthenticator("AuthFromEnv", opts)
	if err != nil {
		return nil, err
	}
	return a.wrap, nil
}

// sessionsFromEnv returns the verifier of the router's session cookies described by cfg,
// whose SessionKey must be set. Its errors name the environment variables, not the options of
// [NewSessions].
func sessionsFromEnv(cfg envconfig.Config) (*Sessions, error) {
	key := []byte(cfg.SessionKey.Reveal())
	if len(key) < MinSessionKeyBytes {
		return nil, invalidOption("AuthFromEnv", "cfg.SessionKey (%s) has %d bytes: use at "+
			"least %d, or leave it empty to verify no sessions", envconfig.EnvSessionKey,
			len(key), MinSessionKeyBytes)
	}
	// The key's length was checked above, so only the cookie name can be invalid.
	sessions, err := NewSessions(SessionOptions{
		Keys: [][]byte{key}, CookieName: cfg.SessionCookie,
	})
	if err != nil {
		return nil, invalidOption("AuthFromEnv", "cfg.SessionCookie (%s) %q is not a valid "+
			"cookie name: use letters, digits, \"-\" and \"_\", or leave it empty for %q",
			envconfig.EnvSessionCookie, cfg.SessionCookie, DefaultCookieName)
	}
	return sessions, nil
}

// AuthInfoFrom returns how [Auth] admitted the request whose context is ctx, and false when
// the request did not pass through Auth.
func AuthInfoFrom(ctx context.Context) (AuthInfo, bool) {
	if ctx == nil {
		return AuthInfo{}, false
	}
	info, ok := ctx.Value(authInfoKey{}).(*AuthInfo)
	if !ok || info == nil {
		return AuthInfo{}, false
	}
	return *info, true
}

func newAuthenticator(fn string, opts AuthOptions) (*authenticator, error) {
	a := &authenticator{
		sessions: opts.Sessions,
		loginURL: opts.LoginURL,
		log:      newThrottledLogger(opts.Logger),
	}
	if isNilVerifier(opts.Sessions) {
		a.sessions = nil
	}

	var err error
	if a.apiKeys, err = newKeySet(fn, "APIKeys", opts.APIKeys); err != nil {
		return nil, err
	}
	if a.appKeys, err = newKeySet(fn, "AppKeys", opts.AppKeys); err != nil {
		return nil, err
	}
	if a.public, err = newPublicRoutes(fn, opts.PublicRoutes); err != nil {
		return nil, err
	}
	if err = validateLoginURL(fn, opts.LoginURL); err != nil {
		return nil, err
	}
	return a, a.checkCanAuthenticate(fn)
}

// isNilVerifier reports whether v is nil or holds a nil pointer, function, map, slice or
// channel, such as a (*Sessions)(nil). Such a verifier cannot admit any request, so [Auth]
// treats it as no verifier and fails closed.
func isNilVerifier(v SessionVerifier) bool {
	if v == nil {
		return true
	}
	value := reflect.ValueOf(v)
	switch value.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Slice, reflect.Chan:
		return value.IsNil()
	}
	return false
}

// checkCanAuthenticate makes the middleware fail closed: options under which no request could
// ever be admitted are a mistake, such as an unset key.
func (a *authenticator) checkCanAuthenticate(fn string) error {
	if a.apiKeys.len() > 0 || a.appKeys.len() > 0 || a.sessions != nil || a.public.all {
		return nil
	}
	return invalidOption(fn, "nothing can authenticate a request: set APIKeys, AppKeys or "+
		"Sessions, or make every route public with PublicRoutes: []string{\"/*\"}")
}

// validateLoginURL accepts "", an absolute path or an absolute http or https URL without user
// information, fragment or redirect_uri parameter.
func validateLoginURL(fn, loginURL string) error {
	if loginURL == "" {
		return nil
	}
	u, err := url.Parse(loginURL)
	if err != nil {
		return invalidOption(fn, "LoginURL is not a valid URL (%v): use an absolute path "+
			"such as \"/__space/login\" or an http or https URL", err)
	}
	isPath := u.Scheme == "" && u.Host == "" && strings.HasPrefix(loginURL, "/") &&
		!strings.HasPrefix(loginURL, "//")
	isURL := (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	switch {
	case u.User != nil:
		return invalidOption(fn, "LoginURL contains user information: remove it")
	case !isPath && !isURL:
		return invalidOption(fn, "LoginURL %q must be an absolute path such as "+
			"\"/__space/login\" or an http or https URL", loginURL)
	case u.Fragment != "" || strings.Contains(loginURL, "#"):
		return invalidOption(fn, "LoginURL %q has a fragment: remove it", loginURL)
	case u.Query().Has("redirect_uri"):
		return invalidOption(fn, "LoginURL %q already has a redirect_uri parameter: "+
			"remove it, because Auth adds the URI of each rejected request", loginURL)
	}
	return nil
}

func (a *authenticator) wrap(next http.Handler) http.Handler {
	if next == nil {
		next = http.DefaultServeMux
	}
	return &authHandler{auth: a, next: next}
}

// authHandler is the handler that [Auth]'s middleware returns.
type authHandler struct {
	auth *authenticator
	next http.Handler
}

func (h *authHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r = cleanRequest(r)
	info, why := h.auth.authenticate(r)
	if why != nil {
		h.auth.reject(w, r, why)
		return
	}
	h.next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), authInfoKey{}, info)))
}

// authenticate returns how r is admitted, or why it is rejected. r's path must be clean.
func (a *authenticator) authenticate(r *http.Request) (*AuthInfo, *reason) {
	if a.public.isPublic(r.URL) {
		return infoPublic, nil
	}
	if a.apiKeys.matchHeader(r.Header, headerAPIKey) {
		return infoAPIKey, nil
	}
	if a.appKeys.matchHeader(r.Header, headerAppKey) {
		return infoAppKey, nil
	}
	session, err := a.verifySession(r)
	if err == nil {
		return &AuthInfo{Method: MethodSession, Session: session}, nil
	}
	return nil, a.rejectionReason(r, err)
}

func (a *authenticator) verifySession(r *http.Request) (Session, error) {
	if a.sessions == nil {
		return Session{}, ErrNoSession
	}
	return a.sessions.VerifySession(r)
}

// rejectionReason names the most specific failure: a key that was sent, then the session.
func (a *authenticator) rejectionReason(r *http.Request, sessionErr error) *reason {
	switch {
	case len(r.Header[headerAPIKey]) > 0:
		return reasonInvalidAPIKey
	case len(r.Header[headerAppKey]) > 0 && a.appKeys.len() == 0:
		return reasonAppKeysOff
	case len(r.Header[headerAppKey]) > 0:
		return reasonInvalidAppKey
	case errors.Is(sessionErr, ErrNoSession):
		return reasonNoCredentials
	case errors.Is(sessionErr, ErrSessionExpired):
		return reasonSessionExpired
	}
	return reasonInvalidSession
}

// maxLoggedPathBytes bounds the path in a log line, since a client chooses its length.
const maxLoggedPathBytes = 256

// logRejection logs why r was rejected. The line never contains a header or cookie value.
func (a *authenticator) logRejection(r *http.Request, why *reason) {
	if a.log == nil {
		return
	}
	p := r.URL.Path
	if len(p) > maxLoggedPathBytes {
		p = p[:maxLoggedPathBytes] + "..."
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", p),
		slog.String("reason", why.log),
	}
	if id, ok := RequestIDFrom(r.Context()); ok {
		attrs = append(attrs, slog.String("request_id", id))
	}
	a.log.log(r.Context(), slog.LevelInfo, "request rejected", attrs...)
}
