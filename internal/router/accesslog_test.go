package router_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
)

func TestAccessLogRecordsEachRequest(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var records []router.AccessRecord
	sessions := newSessions(t)
	r, err := router.New(router.Options{
		Micros: authMicros(), APIKey: envconfig.Secret(testAPIKey), Sessions: sessions,
		AccessLog: func(rec router.AccessRecord) {
			mu.Lock()
			defer mu.Unlock()
			records = append(records, rec)
		},
	})
	require.NoError(t, err)

	serve(r, httptest.NewRequest(http.MethodGet, "/api/public/x?secret=1", nil))
	serve(r, httptest.NewRequest(http.MethodPost, "/keys/a%2Fb", nil))
	serve(r, httptest.NewRequest(http.MethodGet, router.LoginPath+"?token=t", nil))

	require.Len(t, records, 3)
	for i := range records {
		assert.Positive(t, records[i].Duration)
		records[i].Duration = 0
	}
	assert.Equal(t, []router.AccessRecord{
		{Method: "GET", Path: "/api/public/x", Micro: "api", Status: http.StatusOK},
		{Method: "POST", Path: "/keys/a%2Fb", Micro: "keys", Status: http.StatusUnauthorized},
		{Method: "GET", Path: router.LoginPath, Status: http.StatusUnauthorized},
	}, records)
}

func TestAccessLogRecordsAbortedRequest(t *testing.T) {
	t.Parallel()
	var got router.AccessRecord
	r, err := router.New(router.Options{
		NoAuth: true,
		Micros: []router.Micro{{Name: "web", Handler: http.HandlerFunc(
			func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })}},
		AccessLog: func(rec router.AccessRecord) { got = rec },
	})
	require.NoError(t, err)

	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		serve(r, httptest.NewRequest(http.MethodGet, "/x", nil))
	})

	assert.True(t, got.Aborted)
	assert.Equal(t, 0, got.Status)
	assert.Equal(t, "web", got.Micro)
}

func TestLoggerNeverLogsSecrets(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	sessions := newSessions(t)
	r, err := router.New(router.Options{
		Micros: authMicros(), APIKey: envconfig.Secret(testAPIKey), Sessions: sessions,
		Logger: logger, MaxBodyBytes: 1,
	})
	require.NoError(t, err)
	token, err := sessions.NewLoginToken("owner")
	require.NoError(t, err)
	cookie, err := sessions.NewCookie("owner", false)
	require.NoError(t, err)

	r.AddAppKey("user-secret-key")
	req := httptest.NewRequest(http.MethodGet, router.LoginPath+"?token="+token, nil)
	serve(r, req)
	req = httptest.NewRequest(http.MethodPost, "/api/x?q=query-secret", strings.NewReader("xx"))
	req.Header.Set("X-API-Key", "wrong-key-secret")
	req.AddCookie(cookie)
	serve(r, req)
	req = httptest.NewRequest(http.MethodGet, "/keys/x", nil)
	req.Header.Set("X-Space-App-Key", "user-secret-key")
	serve(r, req)

	out := buf.String()
	assert.Contains(t, out, "app key added")
	assert.Contains(t, out, "request body too large")
	assert.Contains(t, out, `path=/keys/x`)
	for _, secret := range []string{testAPIKey, "user-secret-key", token, cookie.Value,
		"query-secret", "wrong-key-secret"} {
		assert.NotContains(t, out, secret)
	}
}
