package reliability

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/middleware"
)

// sessionKeys are the signing keys of the cookie cases: old signed the cookies, new replaced
// it, and attacker belongs to no verifier.
var (
	oldSessionKey      = []byte(strings.Repeat("o", middleware.MinSessionKeyBytes))
	newSessionKey      = []byte(strings.Repeat("n", middleware.MinSessionKeyBytes))
	attackerSessionKey = []byte(strings.Repeat("a", middleware.MinSessionKeyBytes))
)

// sessionStart is the fixed time at which the cookies are issued.
var sessionStart = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// newFixedSessions returns Sessions with keys whose clock reads at.
func newFixedSessions(t *testing.T, at time.Time, keys ...[]byte) *middleware.Sessions {
	t.Helper()
	s, err := middleware.NewSessions(middleware.SessionOptions{Keys: keys, TTL: time.Hour,
		Now: func() time.Time { return at }})
	require.NoError(t, err)
	return s
}

// issueCookie returns the value of a session cookie for "owner" signed with key.
func issueCookie(t *testing.T, key []byte) string {
	t.Helper()
	cookie, err := newFixedSessions(t, sessionStart, key).NewCookie("owner", false)
	require.NoError(t, err)
	return cookie.Value
}

// protectedServer returns a loopback server whose only route is protected by Auth with
// sessions, and the counter of requests that reached the route.
func protectedServer(t *testing.T, sessions *middleware.Sessions) (*httptest.Server,
	*atomic.Int64) {
	t.Helper()
	auth, err := middleware.Auth(middleware.AuthOptions{Sessions: sessions,
		LoginURL: "/__space/login"})
	require.NoError(t, err)
	reached := &atomic.Int64{}
	srv := httptest.NewServer(auth(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		reached.Add(1)
		info, _ := middleware.AuthInfoFrom(r.Context())
		_, _ = w.Write([]byte(info.Session.Subject))
	})))
	t.Cleanup(srv.Close)
	return srv, reached
}

func TestBadInputSessionCookies(t *testing.T) {
	t.Parallel()
	valid := issueCookie(t, oldSessionKey)
	expiry, subject, signature := splitCookie(t, valid)
	verifiers := map[string]*middleware.Sessions{
		"old key":           newFixedSessions(t, sessionStart, oldSessionKey),
		"new key":           newFixedSessions(t, sessionStart, newSessionKey),
		"new and old keys":  newFixedSessions(t, sessionStart, newSessionKey, oldSessionKey),
		"old key, 2h later": newFixedSessions(t, sessionStart.Add(2*time.Hour), oldSessionKey),
	}
	name := middleware.DefaultCookieName + "="
	tests := []struct {
		name     string
		verifier string
		cookies  string // the Cookie header
		accept   string
		want     int
		wantBody string
	}{
		{"valid", "old key", name + valid, "", 200, "owner"},
		{"forged subject", "old key",
			name + expiry + "." + b64("admin") + "." + signature, "", 401,
			unauthorizedBody(msgInvalidSession)},
		{"forged expiry", "old key", name + strconv.FormatInt(sessionStart.Add(
			1000*time.Hour).Unix(), 10) + "." + subject + "." + signature, "", 401,
			unauthorizedBody(msgInvalidSession)},
		{"signed with another key", "old key", name + issueCookie(t, attackerSessionKey), "",
			401, unauthorizedBody(msgInvalidSession)},
		{"signature cut short", "old key", name + valid[:len(valid)-4], "", 401,
			unauthorizedBody(msgInvalidSession)},
		{"expired", "old key, 2h later", name + valid, "", 401,
			unauthorizedBody(msgSessionExpired)},
		{"expired, browser navigation", "old key, 2h later", name + valid, "text/html", 302, ""},
		{"signed with a rotated-out key", "new key", name + valid, "", 401,
			unauthorizedBody(msgInvalidSession)},
		{"signed with a key still listed", "new and old keys", name + valid, "", 200, "owner"},
		{"empty value", "old key", name, "", 401, unauthorizedBody(msgNoCredentials)},
		{"garbage", "old key", name + "abc", "", 401, unauthorizedBody(msgInvalidSession)},
		{"value of 5000 bytes", "old key", name + strings.Repeat("a", 5000), "", 401,
			unauthorizedBody(msgInvalidSession)},
		{"other cookie name", "old key", "session=" + valid, "", 401,
			unauthorizedBody(msgNoCredentials)},
		{"invalid, then valid", "old key", name + "abc; " + name + valid, "", 200, "owner"},
		{"valid after four invalid", "old key", strings.Repeat(name+"abc; ", 4) + name + valid,
			"", 401, unauthorizedBody(msgInvalidSession)},
	}
	servers := map[string]*httptest.Server{}
	reached := map[string]*atomic.Int64{}
	for label, sessions := range verifiers {
		servers[label], reached[label] = protectedServer(t, sessions)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := reached[tt.verifier].Load()
			status, header, body := getWithHeader(t, servers[tt.verifier].URL+"/notes",
				http.Header{"Cookie": {tt.cookies}, "Accept": {tt.accept}})
			assert.Equal(t, tt.want, status, body)
			if tt.want == http.StatusFound {
				assert.Equal(t, "/__space/login?redirect_uri=%2Fnotes", header.Get("Location"))
			} else {
				assert.Equal(t, tt.wantBody, body)
			}
			wantReached := int64(0)
			if tt.want == http.StatusOK {
				wantReached = 1
			}
			assert.Equal(t, wantReached, reached[tt.verifier].Load()-before)
		})
	}
}

// splitCookie returns the three parts of a session cookie value: expiry, subject, signature.
func splitCookie(t *testing.T, value string) (expiry, subject, signature string) {
	t.Helper()
	parts := strings.Split(value, ".")
	require.Len(t, parts, 3, "a session cookie is <expiry>.<subject>.<signature>")
	return parts[0], parts[1], parts[2]
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// getWithHeader sends a GET that follows no redirect and returns the status, the header and
// the body.
func getWithHeader(t *testing.T, url string, header http.Header) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	require.NoError(t, err)
	for name, values := range header {
		if values[0] != "" {
			req.Header[name] = values
		}
	}
	hc := &http.Client{
		Transport: &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	resp, err := hc.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(body)
}
