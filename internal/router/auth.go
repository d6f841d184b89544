package router

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/middleware"
)

// Paths of the endpoints that the router serves itself when it has Sessions.
const (
	// LoginPath exchanges a one-time login token for a session cookie:
	// GET /__space/login?token=...&redirect_uri=... Rejected browser navigations are
	// redirected here.
	LoginPath = "/__space/login"
	// LogoutPath clears the session cookie.
	LogoutPath = "/__space/logout"
)

// publicRoutes returns the patterns that the middleware package treats as public for m:
// "/*" when m is Public.
func publicRoutes(m Micro) []string {
	if m.Public {
		return []string{"/*"}
	}
	return m.PublicRoutes
}

// newChain returns the authentication middleware of m around its handler, with the given app
// keys. Without authentication the chain is the handler itself.
func (r *Router) newChain(m *micro, appKeys []envconfig.Secret) (http.Handler, error) {
	if r.noAuth {
		return m.Handler, nil
	}
	opts := middleware.AuthOptions{
		APIKeys:      []envconfig.Secret{r.apiKey},
		PublicRoutes: publicRoutes(m.Micro),
		Sessions:     r.sessions,
		LoginURL:     LoginPath,
		Logger:       r.authLogger,
	}
	if m.AppKeys {
		opts.AppKeys = appKeys
	}
	auth, err := middleware.Auth(opts)
	if err != nil {
		return nil, err
	}
	return auth(m.Handler), nil
}

// AddAppKey registers a key that the app's user created. Micros with AppKeys accept it in
// X-Space-App-Key from then on, and requests already under way keep the keys they started
// with. An empty key, or one that is already registered, changes nothing, and so does a key
// that the middleware package rejects, such as one longer than middleware.MaxKeyBytes, which
// the logger reports. AddAppKey is safe for concurrent use with itself and with ServeHTTP. It
// does nothing when authentication is off.
func (r *Router) AddAppKey(key envconfig.Secret) {
	if key.IsZero() || r.noAuth {
		r.log(slog.LevelWarn, "app key ignored: it is empty or authentication is off")
		return
	}
	r.keysMu.Lock()
	defer r.keysMu.Unlock()
	if slices.Contains(r.appKeys, key) {
		return
	}
	keys := append(slices.Clip(r.appKeys), key)
	chains, err := r.appKeyChains(keys)
	if err != nil {
		r.log(slog.LevelError, "app key rejected", slog.Any("error", err))
		return
	}
	for m, chain := range chains {
		m.chain.Store(&chain)
	}
	r.appKeys = keys
	r.log(slog.LevelInfo, "app key added", slog.Int("app_keys", len(keys)))
}

// appKeyChains builds the chains of the Micros with AppKeys for keys, all or none.
func (r *Router) appKeyChains(keys []envconfig.Secret) (map[*micro]http.Handler, error) {
	chains := make(map[*micro]http.Handler)
	for _, m := range r.micros {
		if !m.AppKeys {
			continue
		}
		chain, err := r.newChain(m, keys)
		if err != nil {
			return nil, fmt.Errorf("Micro %q: %w", m.Name, err)
		}
		chains[m] = chain
	}
	return chains, nil
}

// publicProbe decides whether a path is public on a Micro by asking the middleware package,
// so the router applies the same rules without a copy of them. The probe is an Auth
// middleware with the Micro's public routes that admits nothing else.
type publicProbe struct {
	auth func(http.Handler) http.Handler
}

// errNoSession makes the probe's session verifier reject every request.
var errNoSession = errors.New("router: the public-route probe admits no sessions")

type rejectSessions struct{}

func (rejectSessions) VerifySession(*http.Request) (middleware.Session, error) {
	return middleware.Session{}, errNoSession
}

func newPublicProbe(m Micro) (*publicProbe, error) {
	auth, err := middleware.Auth(middleware.AuthOptions{
		PublicRoutes: publicRoutes(m),
		Sessions:     rejectSessions{},
	})
	if err != nil {
		return nil, fmt.Errorf("public routes: %w", err)
	}
	return &publicProbe{auth: auth}, nil
}

// isPublic reports whether a micro-relative path, given decoded and escaped as in [url.URL],
// is a public route.
func (p *publicProbe) isPublic(path, rawPath string) bool {
	public := false
	probe := p.auth(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		public = true
	}))
	req := &http.Request{
		Method: http.MethodPost,
		URL:    &url.URL{Path: path, RawPath: rawPath},
		Header: make(http.Header),
		Body:   http.NoBody,
	}
	probe.ServeHTTP(discardWriter{header: make(http.Header)}, req)
	return public
}

// discardWriter is a ResponseWriter that drops the probe's rejection.
type discardWriter struct {
	header http.Header
}

func (d discardWriter) Header() http.Header         { return d.header }
func (d discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d discardWriter) WriteHeader(int)             {}
