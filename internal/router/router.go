package router

import (
	"cmp"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/middleware"
)

// Options configures [New].
type Options struct {
	// Micros are the app's 1 to 5 Micros. New copies them.
	Micros []Micro
	// APIKey is the app's DETA_API_KEY, accepted in X-API-Key by every Micro. Required
	// unless NoAuth is set.
	APIKey envconfig.Secret
	// Sessions verifies session cookies and serves LoginPath and LogoutPath. Required unless
	// NoAuth is set. With NoAuth, non-nil Sessions still serve the two paths.
	Sessions *middleware.Sessions
	// NoAuth turns authentication off, as the old local emulator had none: every request
	// reaches its Micro. The runtime's paths stay closed.
	NoAuth bool
	// RequestTimeout is how long a request may take before the router responds with 504.
	// 0 means [DefaultRequestTimeout].
	RequestTimeout time.Duration
	// MaxBodyBytes is the largest request body; a larger one gets 413.
	// 0 means [DefaultMaxBodyBytes].
	MaxBodyBytes int64
	// Logger receives the router's events: app keys added, requests rejected by
	// authentication, timeouts and bodies too large, and each request at debug level.
	// Nil means no logs. No line contains a key, a cookie or a query. The debug line of a
	// request and the middleware's "request rejected" line log as path the escaped path that
	// the client requested, as AccessRecord.Path does. The rejection line also has
	// micro_path, the decoded path after the router stripped the Micro's prefix.
	Logger *slog.Logger
	// AccessLog, if set, is called with each request's [AccessRecord] after the handler
	// returns, on the request's goroutine. It must be safe for concurrent use.
	AccessLog func(AccessRecord)
}

// Router is the platform's router. It is an [http.Handler] that is safe for concurrent use.
type Router struct {
	micros       []*micro          // in the order of Options.Micros
	byPathLength []*micro          // the non-primary Micros, longest path first
	primary      *micro            // serves every path that no other Micro claims
	actions      map[string]*micro // the Micro that declares each action id
	apiKey       envconfig.Secret
	sessions     *middleware.Sessions
	noAuth       bool
	limits       *limits
	logger       *slog.Logger
	authLogger   *slog.Logger // the middleware's logger, which logs the public path
	accessLog    func(AccessRecord)
	login        http.Handler // nil without Sessions
	logout       http.Handler

	keysMu  sync.Mutex         // serialises AddAppKey
	appKeys []envconfig.Secret // the app keys added so far; replaced, never changed in place
}

// New validates opts and returns a Router. The error is a *[ConfigError] that lists every
// problem, each naming the Micro and the rule it breaks. The rules: an app has 1 to 5 Micros,
// and with more than one, exactly one is primary. Names match ^[A-Za-z0-9][A-Za-z0-9_-]*$.
// Names, paths and action ids are unique, and every Micro has a handler. APIKey and Sessions
// are set unless NoAuth is.
func New(opts Options) (*Router, error) {
	v := &validator{}
	micros := v.normaliseMicros(opts.Micros)
	v.checkOptions(opts)
	if err := v.err(); err != nil {
		return nil, err
	}
	r := &Router{
		apiKey:     opts.APIKey,
		sessions:   opts.Sessions,
		noAuth:     opts.NoAuth,
		limits:     newLimits(opts.RequestTimeout, opts.MaxBodyBytes),
		logger:     opts.Logger,
		authLogger: newMiddlewareLogger(opts.Logger),
		accessLog:  opts.AccessLog,
		actions:    make(map[string]*micro),
	}
	if opts.Sessions != nil {
		r.login, r.logout = opts.Sessions.LoginHandler(), opts.Sessions.LogoutHandler()
	}
	if err := r.addMicros(micros); err != nil {
		return nil, err
	}
	return r, nil
}

func (v *validator) checkOptions(opts Options) {
	if !opts.NoAuth && opts.APIKey.IsZero() {
		v.add("", "APIKey is empty: set the app's DETA_API_KEY, or set NoAuth")
	}
	if !opts.NoAuth && opts.Sessions == nil {
		v.add("", "Sessions is nil: create it with middleware.NewSessions, or set NoAuth")
	}
	if opts.RequestTimeout < 0 {
		v.add("", "RequestTimeout is %v: use a positive duration, or 0 for the default %v",
			opts.RequestTimeout, DefaultRequestTimeout)
	}
	if opts.MaxBodyBytes < 0 {
		v.add("", "MaxBodyBytes is %d: use a positive size, or 0 for the default %d",
			opts.MaxBodyBytes, DefaultMaxBodyBytes)
	}
}

// addMicros builds each Micro's probe and chain. The middleware package validates the public
// routes, so its errors name the Micro here.
func (r *Router) addMicros(micros []Micro) error {
	v := &validator{}
	for _, m := range micros {
		built, err := r.newMicro(m)
		if err != nil {
			v.add(m.Name, "%v", err)
			continue
		}
		r.micros = append(r.micros, built)
	}
	if err := v.err(); err != nil {
		return err
	}
	r.index()
	return nil
}

func (r *Router) newMicro(m Micro) (*micro, error) {
	built := &micro{Micro: m}
	if !m.Primary {
		built.segments = strings.Split(m.Path[1:], "/")
	}
	var err error
	if built.probe, err = newPublicProbe(m); err != nil {
		return nil, err
	}
	chain, err := r.newChain(built, nil)
	if err != nil {
		return nil, fmt.Errorf("authentication: %w", err)
	}
	built.chain.Store(&chain)
	return built, nil
}

// index sorts the Micros for matching and maps the action ids.
func (r *Router) index() {
	for _, m := range r.micros {
		if m.Primary {
			r.primary = m
		} else {
			r.byPathLength = append(r.byPathLength, m)
		}
		for _, id := range m.Actions {
			r.actions[id] = m
		}
	}
	slices.SortStableFunc(r.byPathLength, func(a, b *micro) int {
		return cmp.Compare(len(b.Path), len(a.Path))
	})
}

// Micros returns the Micros as the router normalised them, in the order of Options.Micros:
// Primary is set on a lone Micro and every Path is normalised. Changing the result does not
// change the router.
func (r *Router) Micros() []Micro {
	out := make([]Micro, len(r.micros))
	for i, m := range r.micros {
		out[i] = m.Micro
		out[i].PublicRoutes = slices.Clone(m.PublicRoutes)
		out[i].Actions = slices.Clone(m.Actions)
	}
	return out
}

// ServeHTTP routes req to its Micro in named steps. It matches the path to a Micro, and puts
// the request under the limits, where a Content-Length above the body limit gets 413. It
// strips the Micro's prefix from a copy of the request and sets the forwarded headers. Then
// the Micro's middleware authenticates the request, and its handler serves it. A handler that
// panics passes the panic on. A response that the request timeout cuts off makes ServeHTTP
// panic with [http.ErrAbortHandler], so the server closes the connection.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	start := time.Now()
	t := r.match(req.URL)
	rec := AccessRecord{Method: req.Method, Path: req.URL.EscapedPath(), Micro: t.microName()}
	lim := r.limits.limit(w, req, start)
	lim.deadline.publicPath = rec.Path
	defer r.complete(req, lim, &rec, start)
	if lim.responded() {
		return
	}
	out := strip(req, t, lim)
	rec.Aborted = true // until the handler returns
	r.endpoint(t).ServeHTTP(&lim.guard, out)
	rec.Aborted = false
}

// complete ends the request's limits and logs it. It runs deferred, so it also logs a request
// whose handler panicked, which rec.Aborted reports.
func (r *Router) complete(req *http.Request, lim *limited, rec *AccessRecord, start time.Time) {
	cutOff := lim.end(!rec.Aborted)
	rec.Aborted = rec.Aborted || cutOff
	rec.Status = lim.status
	rec.Duration = time.Since(start)
	r.logRequest(req.Context(), *rec)
	r.logLimit(req.Context(), lim, *rec)
	if cutOff {
		panic(http.ErrAbortHandler)
	}
}

// strip returns a copy of req for the Micro: with the micro-relative URL, the forwarded
// headers, the limits' context and the limited body. The URL and the forwarded values are
// stored in lim, which lives as long as the request.
func strip(req *http.Request, t target, lim *limited) *http.Request {
	out := req.WithContext(lim.ctx)
	lim.url = *req.URL
	u := &lim.url
	u.Path, u.RawPath = t.path, t.rawPath
	out.URL = u
	if u.Path != req.URL.Path || u.RawPath != req.URL.RawPath || req.RequestURI == "" {
		out.RequestURI = u.RequestURI()
	}
	out.Header = forwardHeader(req, t.prefix(), &lim.forwarded)
	lim.limitBody(out)
	return out
}

// endpoint returns the handler of the target: the Micro's authentication and handler, or an
// endpoint of the runtime.
func (r *Router) endpoint(t target) http.Handler {
	switch t.kind {
	case targetLogin:
		return r.login
	case targetLogout:
		return r.logout
	case targetNotFound:
		return notFound
	}
	return t.micro.handler()
}

var notFound = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	errorNotFound.write(w)
})

// microName returns the name of the target's Micro, or "" for the runtime's endpoints.
func (t target) microName() string {
	if t.micro == nil {
		return ""
	}
	return t.micro.Name
}

// prefix returns the path prefix that the router stripped: the Micro's path, or "/" for the
// primary and the runtime's endpoints.
func (t target) prefix() string {
	if t.micro == nil {
		return "/"
	}
	return t.micro.Path
}
