package middleware_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/middleware"
)

// clock is a settable time source for Sessions.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func loginRequest(token, redirectURI string) *http.Request {
	query := url.Values{}
	if token != "" {
		query.Set("token", token)
	}
	if redirectURI != "" {
		query.Set("redirect_uri", redirectURI)
	}
	return httptest.NewRequest(http.MethodGet, "/__space/login?"+query.Encode(), nil)
}

func TestLoginHandlerSetsCookieAndRedirects(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)
	token, err := s.NewLoginToken("owner")
	require.NoError(t, err)

	w := serve(s.LoginHandler(), loginRequest(token, "/notes?tab=all"))
	require.Equal(t, http.StatusFound, w.Code)
	assert.Equal(t, "/notes?tab=all", w.Header().Get("Location"))
	assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	assert.Equal(t, "no-referrer", w.Header().Get("Referrer-Policy"))

	cookies := w.Result().Cookies()
	require.Len(t, cookies, 1)
	assert.Equal(t, "spacekit_session", cookies[0].Name)
	assert.True(t, cookies[0].HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, cookies[0].SameSite)
	assert.Equal(t, "/", cookies[0].Path)
	assert.False(t, cookies[0].Secure)

	session, err := s.VerifySession(requestWithCookie(cookies[0]))
	require.NoError(t, err)
	assert.Equal(t, "owner", session.Subject)
}

func TestLoginHandlerDefaultRedirect(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)
	token, err := s.NewLoginToken("owner")
	require.NoError(t, err)

	w := serve(s.LoginHandler(), loginRequest(token, ""))
	assert.Equal(t, http.StatusFound, w.Code)
	assert.Equal(t, "/", w.Header().Get("Location"))
}

func TestLoginTokenOneTime(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)
	token, err := s.NewLoginToken("owner")
	require.NoError(t, err)

	first := serve(s.LoginHandler(), loginRequest(token, "/"))
	require.Equal(t, http.StatusFound, first.Code)

	second := serve(s.LoginHandler(), loginRequest(token, "/"))
	assert.Equal(t, http.StatusUnauthorized, second.Code)
	assert.Empty(t, second.Result().Cookies())
	assert.Equal(t, map[string]string{
		"error":   "invalid_login_token",
		"message": "the login token was already used: request a new login link",
	}, errorJSON(t, second.Body.Bytes()))
}

func TestLoginTokenExpires(t *testing.T) {
	t.Parallel()
	c := &clock{now: fixedNow()}
	s, err := middleware.NewSessions(middleware.SessionOptions{Keys: [][]byte{keyA},
		LoginTokenTTL: time.Minute, Now: c.Now})
	require.NoError(t, err)
	fresh, err := s.NewLoginToken("owner")
	require.NoError(t, err)
	stale, err := s.NewLoginToken("owner")
	require.NoError(t, err)

	c.Advance(time.Minute - time.Second)
	assert.Equal(t, http.StatusFound, serve(s.LoginHandler(), loginRequest(fresh, "/")).Code)

	c.Advance(time.Second)
	w := serve(s.LoginHandler(), loginRequest(stale, "/"))
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Equal(t, "the login token has expired: request a new login link",
		errorJSON(t, w.Body.Bytes())["message"])
}

func TestLoginHandlerBadToken(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)

	tests := []struct {
		name       string
		target     string
		wantStatus int
		wantBody   map[string]string
	}{
		{"unknown token", "/__space/login?token=made-up", http.StatusUnauthorized,
			map[string]string{"error": "invalid_login_token",
				"message": "the login token is not valid: request a new login link"}},
		{"missing token", "/__space/login", http.StatusBadRequest,
			map[string]string{"error": "missing_token", "message": "the login link needs " +
				"exactly one token parameter: request a new login link"}},
		{"repeated token", "/__space/login?token=a&token=b", http.StatusBadRequest,
			map[string]string{"error": "missing_token", "message": "the login link needs " +
				"exactly one token parameter: request a new login link"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := serve(s.LoginHandler(), httptest.NewRequest(http.MethodGet, tt.target, nil))
			assert.Equal(t, tt.wantStatus, w.Code)
			assert.Equal(t, tt.wantBody, errorJSON(t, w.Body.Bytes()))
			assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
		})
	}
}

func TestLoginHandlerRedirectURI(t *testing.T) {
	t.Parallel()
	// httptest.NewRequest sets the host to example.com.
	tests := []struct {
		redirectURI string
		https       bool
		wantOK      bool
	}{
		{"/notes", false, true},
		{"/notes/a?b=c#d", false, true},
		{"http://example.com/notes", false, true},
		{"HTTP://EXAMPLE.COM/notes", false, true},
		{"https://example.com/notes", true, true},
		{"https://example.com/notes", false, false},
		{"http://example.com/notes", true, false},
		{"//evil.example/x", false, false},
		{"/\\evil.example/x", false, false},
		{"/\t/evil.example/x", false, false},
		{"/\n/evil.example/x", false, false},
		{" /notes", false, false},
		{"https://evil.example/", true, false},
		{"http://example.com.evil.example/", false, false},
		{"http://example.com:8080/notes", false, false},
		{"http://user@example.com/notes", false, false},
		{"javascript:alert(1)", false, false},
		{"notes", false, false},
		{"http:/notes", false, false},
		{"/" + strings.Repeat("a", 2048), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.redirectURI, func(t *testing.T) {
			t.Parallel()
			s := newSessions(t, fixedNow)
			token, err := s.NewLoginToken("owner")
			require.NoError(t, err)
			r := loginRequest(token, tt.redirectURI)
			if tt.https {
				r.TLS = &tls.ConnectionState{}
			}

			w := serve(s.LoginHandler(), r)
			if tt.wantOK {
				assert.Equal(t, http.StatusFound, w.Code)
				assert.Equal(t, tt.redirectURI, w.Header().Get("Location"))
				return
			}
			assert.Equal(t, http.StatusBadRequest, w.Code)
			assert.Equal(t, "invalid_redirect_uri", errorJSON(t, w.Body.Bytes())["error"])
			assert.Empty(t, w.Header().Get("Location"))
			assert.Empty(t, w.Result().Cookies())

			// The rejected request did not use up the token.
			again := serve(s.LoginHandler(), loginRequest(token, "/"))
			assert.Equal(t, http.StatusFound, again.Code)
		})
	}
}

func TestLoginHandlerRepeatedRedirectURI(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)
	token, err := s.NewLoginToken("owner")
	require.NoError(t, err)
	target := "/__space/login?token=" + token + "&redirect_uri=/a&redirect_uri=//evil.example"

	w := serve(s.LoginHandler(), httptest.NewRequest(http.MethodGet, target, nil))
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Equal(t, map[string]string{"error": "invalid_redirect_uri",
		"message": "redirect_uri appears more than once: send it once"},
		errorJSON(t, w.Body.Bytes()))
}

func TestLoginHandlerSecureCookie(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		trust      bool
		tls        bool
		forwarded  string
		wantSecure bool
	}{
		{"plain http", false, false, "", false},
		{"TLS", false, true, "", true},
		{"forwarded https, trusted", true, false, "https", true},
		{"forwarded HTTPS, trusted", true, false, "HTTPS", true},
		{"forwarded https, untrusted", false, false, "https", false},
		{"forwarded http, trusted", true, false, "http", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := middleware.NewSessions(middleware.SessionOptions{Keys: [][]byte{keyA},
				TrustForwardedProto: tt.trust, Now: fixedNow})
			require.NoError(t, err)
			token, err := s.NewLoginToken("owner")
			require.NoError(t, err)
			r := loginRequest(token, "/")
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if tt.forwarded != "" {
				r.Header.Set("X-Forwarded-Proto", tt.forwarded)
			}

			w := serve(s.LoginHandler(), r)
			require.Equal(t, http.StatusFound, w.Code)
			cookies := w.Result().Cookies()
			require.Len(t, cookies, 1)
			assert.Equal(t, tt.wantSecure, cookies[0].Secure)
		})
	}
}

func TestLoginHandlerMethods(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)
	token, err := s.NewLoginToken("owner")
	require.NoError(t, err)

	for _, method := range []string{http.MethodHead, http.MethodPost} {
		r := httptest.NewRequest(method, "/__space/login?token="+token, nil)
		w := serve(s.LoginHandler(), r)
		assert.Equal(t, http.StatusMethodNotAllowed, w.Code, method)
		assert.Equal(t, "GET", w.Header().Get("Allow"), method)
	}
	// Neither request used the token.
	assert.Equal(t, http.StatusFound, serve(s.LoginHandler(), loginRequest(token, "/")).Code)
}

func TestLoginFailureLogHasNoToken(t *testing.T) {
	t.Parallel()
	logger, logs := newLogger()
	s, err := middleware.NewSessions(middleware.SessionOptions{Keys: [][]byte{keyA},
		Logger: logger})
	require.NoError(t, err)

	r := loginRequest("secret-made-up-token", "/")
	r.Header.Set("X-Request-ID", "req-login-1")
	serve(middleware.RequestID(s.LoginHandler()), r)
	records := logs.lines(t)
	require.Len(t, records, 1)
	assert.Equal(t, "login failed", records[0]["msg"])
	assert.Equal(t, "GET", records[0]["method"])
	assert.Equal(t, "/__space/login", records[0]["path"])
	assert.Equal(t, "invalid_login_token", records[0]["reason"])
	assert.Equal(t, float64(http.StatusUnauthorized), records[0]["status"])
	assert.Equal(t, "req-login-1", records[0]["request_id"])
	assert.NotContains(t, logs.String(), "secret-made-up-token")
}

func TestNewLoginTokenLimit(t *testing.T) {
	t.Parallel()
	c := &clock{now: fixedNow()}
	s, err := middleware.NewSessions(middleware.SessionOptions{Keys: [][]byte{keyA},
		LoginTokenTTL: time.Minute, Now: c.Now})
	require.NoError(t, err)
	for range 10_000 {
		_, err := s.NewLoginToken("owner")
		require.NoError(t, err)
	}

	_, err = s.NewLoginToken("owner")
	assert.EqualError(t, err, "middleware: NewLoginToken: 10000 login tokens are outstanding: "+
		"wait for them to expire, or shorten LoginTokenTTL")

	c.Advance(time.Minute)
	_, err = s.NewLoginToken("owner")
	assert.NoError(t, err, "expired tokens make room")
}

func TestNewLoginTokenErrors(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)
	_, err := s.NewLoginToken("")
	assert.EqualError(t, err, "middleware: NewLoginToken: subject is empty: pass the user's ID")

	var nilSessions *middleware.Sessions
	_, err = nilSessions.NewLoginToken("owner")
	assert.EqualError(t, err, "middleware: NewLoginToken on a nil *Sessions: "+
		"create it with NewSessions")
}

func TestNewLoginTokenIsRandom(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)
	seen := make(map[string]bool)
	for range 100 {
		token, err := s.NewLoginToken("owner")
		require.NoError(t, err)
		assert.Len(t, token, 26)
		assert.False(t, seen[token], "token %q issued twice", token)
		seen[token] = true
	}
}

func TestLogoutHandler(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)

	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
		r := httptest.NewRequest(method, "/__space/logout?redirect_uri=/bye", nil)
		r.TLS = &tls.ConnectionState{}
		w := serve(s.LogoutHandler(), r)
		assert.Equal(t, http.StatusFound, w.Code, method)
		assert.Equal(t, "/bye", w.Header().Get("Location"), method)
		assert.Equal(t, "spacekit_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax",
			w.Header().Get("Set-Cookie"), method)
	}
}

func TestLogoutHandlerDefaultAndBadRedirect(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)

	w := serve(s.LogoutHandler(), httptest.NewRequest(http.MethodPost, "/__space/logout", nil))
	assert.Equal(t, http.StatusFound, w.Code)
	assert.Equal(t, "/", w.Header().Get("Location"))

	w = serve(s.LogoutHandler(), httptest.NewRequest(http.MethodGet,
		"/__space/logout?redirect_uri=https://evil.example/", nil))
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Empty(t, w.Header().Get("Set-Cookie"))

	w = serve(s.LogoutHandler(), httptest.NewRequest(http.MethodPut, "/__space/logout", nil))
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
	assert.Equal(t, "GET, HEAD, POST", w.Header().Get("Allow"))
}

func TestLoginTokenConcurrentUseSucceedsOnce(t *testing.T) {
	t.Parallel()
	s := newSessions(t, fixedNow)
	token, err := s.NewLoginToken("owner")
	require.NoError(t, err)

	const attempts = 16
	codes := make(chan int, attempts)
	var wg sync.WaitGroup
	for range attempts {
		wg.Go(func() {
			codes <- serve(s.LoginHandler(), loginRequest(token, "/")).Code
		})
	}
	wg.Wait()
	close(codes)

	counts := map[int]int{}
	for code := range codes {
		counts[code]++
	}
	assert.Equal(t, map[int]int{http.StatusFound: 1, http.StatusUnauthorized: attempts - 1},
		counts)
}

// TestLoginHandlerEncodedRedirectURI sends redirect_uri exactly as written in the query, so
// percent-encoded forms of an off-origin target reach the handler as an attacker would send
// them. A redirect that the handler allows must resolve to the request's own origin.
func TestLoginHandlerEncodedRedirectURI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rawQueryValue string
		wantLocation  string // empty: rejected with 400
	}{
		{"%2F%2Fevil.example", ""},
		{"%2F%2F%2Fevil.example", ""},
		{"%2F%5Cevil.example", ""},
		{"%5C%5Cevil.example", ""},
		{"%5C%2Fevil.example", ""},
		{"%2F%09%2Fevil.example", ""},
		{"%09%2F%2Fevil.example", ""},
		{"%20%2F%2Fevil.example", ""},
		{"https:%2F%2Fevil.example", ""},
		{"https%3A%2F%2Fevil.example%2F", ""},
		{"https:evil.example", ""},
		{"https:/evil.example", ""},
		{"http:%5C%5Cevil.example", ""},
		{"http%3A%2F%2Fexample.com%40evil.example%2F", ""},
		{"javascript%3Aalert(1)", ""},
		{"JaVaScRiPt:alert(1)", ""},
		{"data:text/html,x", ""},
		{"%252F%252Fevil.example", ""},
		{"%EF%BC%8F%EF%BC%8Fevil.example", ""}, // "／／", fullwidth solidus
		{"%2Fnotes", "/notes"},
		{"/%252F%252Fevil.example", "/%2F%2Fevil.example"},
		{"/%255Cevil.example", "/%5Cevil.example"},
		{"http%3A%2F%2Fexample.com%2Fnotes", "http://example.com/notes"},
		// A path-absolute reference keeps the origin, whatever its dot segments and slashes.
		{"/%2E%2E/%2F%2Fevil.example", "/..///evil.example"},
	}
	for _, tt := range tests {
		t.Run(tt.rawQueryValue, func(t *testing.T) {
			t.Parallel()
			s := newSessions(t, fixedNow)
			token, err := s.NewLoginToken("owner")
			require.NoError(t, err)
			// httptest.NewRequest sets the host to example.com.
			r := httptest.NewRequest(http.MethodGet,
				"/__space/login?token="+token+"&redirect_uri="+tt.rawQueryValue, nil)

			w := serve(s.LoginHandler(), r)
			location := w.Header().Get("Location")
			if tt.wantLocation == "" {
				assert.Equal(t, http.StatusBadRequest, w.Code)
				assert.Empty(t, location)
				assert.Empty(t, w.Result().Cookies())
				return
			}
			require.Equal(t, http.StatusFound, w.Code)
			assert.Equal(t, tt.wantLocation, location)
			base, err := url.Parse("http://example.com/__space/login")
			require.NoError(t, err)
			target, err := url.Parse(location)
			require.NoError(t, err)
			resolved := base.ResolveReference(target)
			assert.Equal(t, "http", resolved.Scheme)
			assert.Equal(t, "example.com", resolved.Host)
		})
	}
}

func TestLoginHandlerRedirectURIMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		redirectURI string
		want        string
	}{
		{"//evil.example/x", `redirect_uri must not start with "//": use a path on this ` +
			`site such as "/notes"`},
		{"/%zz", `redirect_uri is not a valid path: percent-encode it, or use a path such as ` +
			`"/notes"`},
		{"/" + strings.Repeat("a", 2048), "redirect_uri is longer than 2048 bytes: use a " +
			"shorter path"},
		{"/a\\b", "redirect_uri contains a space, control character or backslash: " +
			"percent-encode it"},
		{"https://evil.example/", "redirect_uri is on another origin: only " +
			"http://example.com is allowed"},
		{"javascript:alert(1)", `redirect_uri must be a path on this site such as "/notes", ` +
			`or a URL on http://example.com`},
	}
	for _, tt := range tests {
		t.Run(tt.redirectURI, func(t *testing.T) {
			t.Parallel()
			s := newSessions(t, fixedNow)
			w := serve(s.LoginHandler(), loginRequest("any-token", tt.redirectURI))
			assert.Equal(t, http.StatusBadRequest, w.Code)
			assert.Equal(t, map[string]string{"error": "invalid_redirect_uri", "message": tt.want},
				errorJSON(t, w.Body.Bytes()))
		})
	}
}
