package spacetest

import (
	"context"
	"net"
	"net/http/httptest"
)

// Serve starts the App's router on a loopback [httptest.Server], for code that needs a real
// URL, and returns that URL, such as "http://127.0.0.1:41234". It is the same router, with the
// same Micros, keys, recording and faults, as the in-process transport. Later calls return
// the same URL. From then on [App.URL] and [App.Env] name the server, and the clients that
// [App.Client], [App.HTTPClient] and [App.Browser] return use it. Clients made before keep
// the in-process transport and its URL. The test's cleanup closes the server.
func (a *App) Serve() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.server == nil {
		srv := httptest.NewUnstartedServer(a.router)
		srv.Config.BaseContext = func(net.Listener) context.Context { return a.ctx }
		srv.Start()
		a.server = srv
	}
	return a.server.URL
}

func (a *App) loopbackServer() *httptest.Server {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.server
}

// closeServer closes the loopback server. When handlers are still running, Close would wait
// for them, so only the listener and the connections are closed.
func (a *App) closeServer(srv *httptest.Server, handlersReturned bool) {
	if handlersReturned {
		srv.Close()
		return
	}
	_ = srv.Listener.Close()
	srv.CloseClientConnections()
}
