package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"os"

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
	if !u.opts.noAuth {
		ctl.loginURL = u.loginURL
	}
	return ctl, release, nil
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
		sessions, err := middleware.NewSessions(middleware.SessionOptions{
			Keys:          [][]byte{u.keys.SessionKey},
			CookieName:    sessionCookieName(u.app.dir),
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

// sessionCookieName returns a cookie name of its own for the project in dir. Browsers share
// cookies between the ports of one host, so two apps on localhost would otherwise overwrite
// each other's session.
func sessionCookieName(dir string) string {
	sum := sha256.Sum256([]byte(dir))
	return "spacedev_session_" + hex.EncodeToString(sum[:4])
}
