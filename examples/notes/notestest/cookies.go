// Package notestest holds the test helpers that the notes Micros' tests share.
package notestest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/middleware"
	"github.com/spacekit/spacekit/spacetest"
)

// BrowserCookie returns the Cookie header that App.Browser sends: the session cookie that the
// router issued for the app's owner.
func BrowserCookie(t testing.TB, app *spacetest.App) string {
	t.Helper()
	u, err := url.Parse(app.URL())
	require.NoError(t, err)
	cookies := app.Browser().Jar.Cookies(u)
	require.Len(t, cookies, 1, "App.Browser has one session cookie")
	return cookies[0].String()
}

// ForeignCookie returns the Cookie header of a session for the app's owner under the app's
// cookie name, as the Micro called micro reads it from its environment, but signed with
// another key, as another app or an attacker could make one.
func ForeignCookie(t testing.TB, app *spacetest.App, micro string) string {
	t.Helper()
	sessions, err := middleware.NewSessions(middleware.SessionOptions{
		Keys:       [][]byte{[]byte(strings.Repeat("x", middleware.MinSessionKeyBytes))},
		CookieName: app.Env(micro).SessionCookie,
	})
	require.NoError(t, err)
	cookie, err := sessions.NewCookie(spacetest.OwnerSubject, false)
	require.NoError(t, err)
	return (&http.Cookie{Name: cookie.Name, Value: cookie.Value}).String()
}
