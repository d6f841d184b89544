package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/middleware"
	"github.com/spacekit/spacekit/spacetest"
)

// browserCookie returns the Cookie header that App.Browser sends: the session cookie that the
// router issued for the app's owner.
func browserCookie(t *testing.T, app *spacetest.App) string {
	t.Helper()
	u, err := url.Parse(app.URL())
	require.NoError(t, err)
	cookies := app.Browser().Jar.Cookies(u)
	require.Len(t, cookies, 1, "App.Browser has one session cookie")
	return cookies[0].String()
}

// foreignCookie returns the Cookie header of a session for the app's owner under the app's
// cookie name, but signed with another key, as another app or an attacker could make one.
func foreignCookie(t *testing.T, app *spacetest.App) string {
	t.Helper()
	sessions, err := middleware.NewSessions(middleware.SessionOptions{
		Keys:       [][]byte{[]byte(strings.Repeat("x", middleware.MinSessionKeyBytes))},
		CookieName: app.Env("api").SessionCookie,
	})
	require.NoError(t, err)
	cookie, err := sessions.NewCookie(spacetest.OwnerSubject, false)
	require.NoError(t, err)
	return (&http.Cookie{Name: cookie.Name, Value: cookie.Value}).String()
}
