package spacetest

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/internal/router"
)

// Client returns a client configured exactly as the Micro called micro would configure its
// own from its environment ([App.Env]), sending X-API-Key with the app's key. opts are passed
// to [client.New] after the App's [client.WithHTTPClient], which routes the client in process,
// or through the loopback server once [App.Serve] has started it. An unknown Micro, or an
// option that client.New rejects, fails the test.
func (a *App) Client(micro string, opts ...client.Option) *client.Client {
	a.t.Helper()
	cfg := a.Env(micro)
	all := append([]client.Option{client.WithHTTPClient(a.newHTTPClient(nil))}, opts...)
	c, err := client.New(cfg, all...)
	if err != nil {
		a.t.Fatalf("spacetest: App.Client(%q): %v", micro, err)
	}
	return c
}

// HTTPClient returns a new client for an anonymous visitor of the app: no key, no session. It
// has a cookie jar, follows redirects as net/http does, and sends requests to [App.URL] in
// process, or through the loopback server once [App.Serve] has started it. Each call returns a
// new client, so a test may change it, for example its CheckRedirect.
func (a *App) HTTPClient() *http.Client {
	return a.newHTTPClient(newJar())
}

// Browser returns a new client for the app's owner, logged in: its cookie jar holds a valid
// session cookie of [OwnerSubject] for [App.URL]. It is otherwise like [App.HTTPClient]. With
// authentication off it has no cookie.
func (a *App) Browser() *http.Client {
	a.t.Helper()
	jar := newJar()
	if a.sessions != nil {
		cookie, err := a.sessions.NewCookie(OwnerSubject, false)
		if err != nil {
			a.t.Fatalf("spacetest: App.Browser: %v", err)
		}
		jar.SetCookies(a.baseURL(), []*http.Cookie{cookie})
	}
	return a.newHTTPClient(jar)
}

// newHTTPClient returns a client with the App's current transport and jar.
func (a *App) newHTTPClient(jar http.CookieJar) *http.Client {
	if srv := a.loopbackServer(); srv != nil {
		return &http.Client{Transport: srv.Client().Transport, Jar: jar}
	}
	return &http.Client{Transport: a.inProc, Jar: jar}
}

func newJar() *cookiejar.Jar {
	jar, _ := cookiejar.New(nil) // cookiejar.New returns no error
	return jar
}

// NewAppKey registers a new key as if the app's user had created one, and returns it. Micros
// with AppKeys accept it in X-Space-App-Key from then on. With authentication off, no key is
// checked, and the key is returned all the same.
func (a *App) NewAppKey() string {
	key := newSecret("sk_app_")
	a.router.AddAppKey(key)
	return key.Reveal()
}

// LoginURL returns a one-time login URL for the app's owner, as spacedev prints one: opening
// it sets the session cookie and redirects to redirectURI, a path such as "/notes", or to "/"
// when redirectURI is empty. The token expires after ten minutes. With authentication off it
// fails the test.
func (a *App) LoginURL(redirectURI string) string {
	a.t.Helper()
	if a.sessions == nil {
		a.t.Fatalf("spacetest: App.LoginURL: authentication is off, so there is no login")
	}
	token, err := a.sessions.NewLoginToken(OwnerSubject)
	if err != nil {
		a.t.Fatalf("spacetest: App.LoginURL: %v", err)
	}
	query := url.Values{"token": {token}}
	if redirectURI != "" {
		query.Set("redirect_uri", redirectURI)
	}
	return a.URL() + router.LoginPath + "?" + query.Encode()
}
