package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/spacekit/spacekit/internal/router"
	"github.com/spacekit/spacekit/middleware"
)

// buildHandler assembles what the app's server runs: spacedev's control endpoint in front of
// the router with a handler for each Micro. The returned function releases the
// static Micros' folders and the proxies' idle connections.
func (u *upRun) buildHandler() (http.Handler, func(), error) {
	transport := newTransport()
	var roots []*os.Root
	release := func() {
		for _, root := range roots {
			root.Close()
		}
		transport.CloseIdleConnections()
	}

	micros := make([]router.Micro, 0, len(u.app.micros))
	for _, m := range u.app.micros {
		handler, root, err := u.microHandler(m, transport)
		if err != nil {
			release()
			return nil, nil, err
		}
		if root != nil {
			roots = append(roots, root)
		}
		micros = append(micros, routerMicro(m, handler))
	}
	if err := u.newRouter(micros); err != nil {
		release()
		return nil, nil, err
	}

	ctl := &control{apiKey: u.keys.APIKey, trigger: u.router.Trigger, logger: u.logger,
		next: u.router}
	if u.opts.noAuth {
		return ctl, release, nil
	}
	ctl.loginURL = u.loginURL
	return newLoginHint(ctl, u.loginCommand), release, nil
}

// isBrowserNavigation reports whether r is a GET or HEAD whose Accept header lists text/html
// without q=0, as a browser's navigation does.
func isBrowserNavigation(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, value := range r.Header.Values("Accept") {
		for mediaType := range strings.SplitSeq(value, ",") {
			mediaType, params, _ := strings.Cut(mediaType, ";")
			if strings.EqualFold(strings.TrimSpace(mediaType), "text/html") &&
				!rejectsMediaType(params) {
				return true
			}
		}
	}
	return false
}

// rejectsMediaType reports whether the parameters of an Accept entry give it q=0.
func rejectsMediaType(params string) bool {
	for param := range strings.SplitSeq(params, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(param), "=")
		if strings.EqualFold(name, "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
			return err == nil && q == 0
		}
	}
	return false
}

// microHandler returns the handler of one Micro: a file server on the serve folder of a static
// Micro, which the returned root confines, or a reverse proxy to the Micro's port.
func (u *upRun) microHandler(m *microPlan, transport http.RoundTripper) (http.Handler,
	*os.Root, error) {
	if !m.static() {
		return newMicroProxy(m.name(), m.port, transport, u.logger), nil, nil
	}
	root, err := os.OpenRoot(m.serveDir)
	if err != nil {
		return nil, nil, fmt.Errorf("serve Micro %q: %w", m.name(), err)
	}
	return http.FileServerFS(root.FS()), root, nil
}

func routerMicro(m *microPlan, handler http.Handler) router.Micro {
	return router.Micro{
		Name:         m.name(),
		Path:         m.spec.Path,
		Primary:      m.spec.Primary,
		Handler:      handler,
		Public:       m.spec.Public,
		PublicRoutes: m.spec.PublicRoutes,
		AppKeys:      m.spec.Presets.APIKeys,
		Actions:      m.actionIDs(),
	}
}

func (u *upRun) newRouter(micros []router.Micro) error {
	opts := router.Options{
		Micros:    micros,
		APIKey:    u.keys.APIKey,
		NoAuth:    u.opts.noAuth,
		Logger:    slog.New(minLevelHandler{u.logger.Handler(), slog.LevelInfo}),
		AccessLog: accessLogger(u.logger),
	}
	if !u.opts.noAuth {
		sessions, err := u.sessionConfig().NewSessions(middleware.SessionOptions{
			LoginTokenTTL: loginTokenTTL,
			Logger:        u.logger,
		})
		if err != nil {
			return fmt.Errorf("set up sessions: %w", err)
		}
		u.sessions, opts.Sessions = sessions, sessions
	}
	rt, err := router.New(opts)
	if err != nil {
		return fmt.Errorf("set up the router: %w", err)
	}
	u.router = rt
	return nil
}

// sessionConfig returns the key and cookie name of the router's sessions, which every Micro
// also gets in its environment, or the zero value when authentication is off.
func (u *upRun) sessionConfig() router.SessionConfig {
	if u.opts.noAuth {
		return router.SessionConfig{}
	}
	return projectSessions(u.app.dir, u.keys)
}

// projectSessions returns the session configuration of the project in dir with keys.
func projectSessions(dir string, keys appKeys) router.SessionConfig {
	return router.SessionConfig{Key: keys.SessionKey, CookieName: sessionCookieName(dir)}
}

// sessionCookieName returns a cookie name of its own for the project in dir. Browsers share
// cookies between the ports of one host, so two apps on localhost would otherwise overwrite
// each other's session.
func sessionCookieName(dir string) string {
	sum := sha256.Sum256([]byte(dir))
	return "spacedev_session_" + hex.EncodeToString(sum[:4])
}
