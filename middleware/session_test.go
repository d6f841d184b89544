package middleware_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/middleware"
)

var (
	keyA = bytes.Repeat([]byte("a"), 32)
	keyB = bytes.Repeat([]byte("b"), 32)
)

func fixedNow() time.Time { return time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC) }

func newSessions(t *testing.T, now func() time.Time, keys ...[]byte) *middleware.Sessions {
	t.Helper()
	if len(keys) == 0 {
		keys = [][]byte{keyA}
	}
	s, err := middleware.NewSessions(middleware.SessionOptions{Keys: keys, Now: now})
	require.NoError(t, err)
	return s
}

func requestWithCookie(c *http.Cookie) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	if c != nil {
		r.AddCookie(c)
	}
	return r
}

func TestNewCookieAttributes(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)
	for _, secure := range []bool{false, true} {
		cookie, err := s.NewCookie("owner", secure)
		require.NoError(t, err)
		assert.Equal(t, "spacekit_session", cookie.Name)
		assert.Equal(t, "/", cookie.Path)
		assert.True(t, cookie.HttpOnly)
		assert.Equal(t, http.SameSiteLaxMode, cookie.SameSite)
		assert.Equal(t, secure, cookie.Secure)
		assert.Equal(t, 86400, cookie.MaxAge)
		assert.Equal(t, fixedNow().Add(24*time.Hour), cookie.Expires.UTC())
		assert.NotContains(t, cookie.Value, "owner")
	}
}

func TestVerifySessionRoundTrip(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)
	cookie, err := s.NewCookie("user@example.com", false)
	require.NoError(t, err)

	session, err := s.VerifySession(requestWithCookie(cookie))
	require.NoError(t, err)
	assert.Equal(t, "user@example.com", session.Subject)
	assert.Equal(t, fixedNow().Add(24*time.Hour), session.Expires.UTC())
}

func TestVerifySessionExpiry(t *testing.T) {
	t.Parallel()
	now := fixedNow()
	s, err := middleware.NewSessions(middleware.SessionOptions{Keys: [][]byte{keyA},
		TTL: time.Hour, Now: func() time.Time { return now }})
	require.NoError(t, err)
	cookie, err := s.NewCookie("owner", false)
	require.NoError(t, err)

	now = fixedNow().Add(time.Hour - time.Second)
	_, err = s.VerifySession(requestWithCookie(cookie))
	require.NoError(t, err)

	now = fixedNow().Add(time.Hour)
	_, err = s.VerifySession(requestWithCookie(cookie))
	assert.ErrorIs(t, err, middleware.ErrSessionExpired)
}

func TestVerifySessionKeyRotation(t *testing.T) {
	t.Parallel()
	oldSessions := newSessions(t, fixedNow, keyA)
	rotated := newSessions(t, fixedNow, keyB, keyA)
	retired := newSessions(t, fixedNow, keyB)

	oldCookie, err := oldSessions.NewCookie("owner", false)
	require.NoError(t, err)
	newCookie, err := rotated.NewCookie("owner", false)
	require.NoError(t, err)

	_, err = rotated.VerifySession(requestWithCookie(oldCookie))
	assert.NoError(t, err, "a cookie signed with an older key verifies")
	_, err = retired.VerifySession(requestWithCookie(newCookie))
	assert.NoError(t, err, "Keys[0] signs new cookies")
	_, err = retired.VerifySession(requestWithCookie(oldCookie))
	assert.ErrorIs(t, err, middleware.ErrInvalidSession, "a removed key no longer verifies")
}

func TestVerifySessionRejectsBadValues(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)
	cookie, err := s.NewCookie("owner", false)
	require.NoError(t, err)
	parts := strings.Split(cookie.Value, ".")
	require.Len(t, parts, 3)
	other := newSessions(t, fixedNow, keyB)
	otherCookie, err := other.NewCookie("owner", false)
	require.NoError(t, err)
	mallory, err := s.NewCookie("mallory", false)
	require.NoError(t, err)
	malloryParts := strings.Split(mallory.Value, ".")

	tests := []struct {
		name  string
		value string
	}{
		{"signed by another key", otherCookie.Value},
		{"later expiry", "9" + parts[0] + "." + parts[1] + "." + parts[2]},
		{"other subject", parts[0] + "." + malloryParts[1] + "." + parts[2]},
		{"no signature", parts[0] + "." + parts[1]},
		{"short signature", parts[0] + "." + parts[1] + "." + parts[2][:10]},
		{"signature not base64", parts[0] + "." + parts[1] + ".!!!"},
		{"garbage", "garbage"},
		{"oversized", strings.Repeat("a", 5000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header.Set("Cookie", "spacekit_session="+tt.value)
			_, err := s.VerifySession(r)
			assert.ErrorIs(t, err, middleware.ErrInvalidSession)
		})
	}
}

func TestVerifySessionNoCookie(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)
	_, err := s.VerifySession(requestWithCookie(nil))
	assert.ErrorIs(t, err, middleware.ErrNoSession)

	_, err = s.VerifySession(requestWithCookie(&http.Cookie{Name: "other", Value: "x"}))
	assert.ErrorIs(t, err, middleware.ErrNoSession)

	var nilSessions *middleware.Sessions
	_, err = nilSessions.VerifySession(requestWithCookie(nil))
	assert.ErrorIs(t, err, middleware.ErrNoSession)
}

func TestVerifySessionSeveralCookies(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)
	cookie, err := s.NewCookie("owner", false)
	require.NoError(t, err)

	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Cookie", "spacekit_session=forged; spacekit_session="+cookie.Value)
	session, err := s.VerifySession(r)
	require.NoError(t, err)
	assert.Equal(t, "owner", session.Subject)
}

func TestVerifySessionCustomCookieName(t *testing.T) {
	t.Parallel()
	s, err := middleware.NewSessions(middleware.SessionOptions{Keys: [][]byte{keyA},
		CookieName: "notes_session", Now: fixedNow})
	require.NoError(t, err)
	cookie, err := s.NewCookie("owner", false)
	require.NoError(t, err)
	assert.Equal(t, "notes_session", cookie.Name)

	_, err = s.VerifySession(requestWithCookie(cookie))
	assert.NoError(t, err)
}

func TestNewCookieSubject(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)
	tests := []struct {
		subject string
		want    string
	}{
		{"", "middleware: NewCookie: subject is empty: pass the user's ID"},
		{strings.Repeat("s", 257), "middleware: NewCookie: subject has 257 bytes: use at most 256"},
		{"\xff", "middleware: NewCookie: subject is not valid UTF-8: pass the user's ID as " +
			"UTF-8 text"},
	}
	for _, tt := range tests {
		_, err := s.NewCookie(tt.subject, false)
		require.Error(t, err)
		assert.Equal(t, tt.want, err.Error())
	}

	var nilSessions *middleware.Sessions
	_, err := nilSessions.NewCookie("owner", false)
	assert.EqualError(t, err, "middleware: NewCookie on a nil *Sessions: "+
		"create it with NewSessions")
}

func TestNewSessionsOptionsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts middleware.SessionOptions
		want string
	}{
		{"no keys", middleware.SessionOptions{},
			"middleware: NewSessions: Keys is empty: add a signing key of at least 32 random " +
				"bytes, such as one read from crypto/rand"},
		{"short key", middleware.SessionOptions{Keys: [][]byte{keyA, []byte("short")}},
			"middleware: NewSessions: Keys[1] has 5 bytes: use at least 32 random bytes"},
		{"bad cookie name", middleware.SessionOptions{Keys: [][]byte{keyA}, CookieName: "a b"},
			`middleware: NewSessions: CookieName "a b" is not a valid cookie name: ` +
				`use letters, digits, "-" and "_"`},
		{"negative TTL", middleware.SessionOptions{Keys: [][]byte{keyA}, TTL: -time.Second},
			"middleware: NewSessions: TTL -1s is too short: use 1s or more, or 0 for the " +
				"default of 24h0m0s"},
		{"sub-second TTL", middleware.SessionOptions{Keys: [][]byte{keyA}, TTL: time.Millisecond},
			"middleware: NewSessions: TTL 1ms is too short: use 1s or more, or 0 for the " +
				"default of 24h0m0s"},
		{"negative login token TTL", middleware.SessionOptions{Keys: [][]byte{keyA},
			LoginTokenTTL: -time.Minute},
			"middleware: NewSessions: LoginTokenTTL -1m0s is negative: use a positive " +
				"duration, or 0 for the default of 10m0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := middleware.NewSessions(tt.opts)
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Equal(t, tt.want, err.Error())
			assert.ErrorIs(t, err, middleware.ErrInvalidOption)
		})
	}
}

func TestNewSessionsCopiesKeys(t *testing.T) {
	t.Parallel()
	key := bytes.Clone(keyA)
	s := newSessions(t, fixedNow, key)
	cookie, err := s.NewCookie("owner", false)
	require.NoError(t, err)

	key[0] = 'z'
	_, err = s.VerifySession(requestWithCookie(cookie))
	assert.NoError(t, err)
}
