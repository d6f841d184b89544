package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/middleware"
)

func TestRejectionLogsAreRateLimited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		logger, logs := newLogger()
		h := protect(t, middleware.AuthOptions{APIKeys: apiKeys, Logger: logger})

		for range 100 {
			serve(h, httptest.NewRequest(http.MethodGet, "/flood", nil))
		}
		records := logs.lines(t)
		require.Len(t, records, 10)
		for _, record := range records {
			assert.NotContains(t, record, "suppressed")
		}

		time.Sleep(time.Second)
		serve(h, httptest.NewRequest(http.MethodGet, "/after", nil))
		records = logs.lines(t)
		require.Len(t, records, 11)
		assert.Equal(t, "/after", records[10]["path"])
		assert.Equal(t, float64(90), records[10]["suppressed"])
	})
}

func TestRejectionLogFields(t *testing.T) {
	t.Parallel()
	logger, logs := newLogger()
	sessions := newSessions(t, fixedNow)
	forged, err := newSessions(t, fixedNow, keyB).NewCookie("owner", false)
	require.NoError(t, err)
	h := middleware.Chain(middleware.RequestID).Then(protect(t, middleware.AuthOptions{
		APIKeys: apiKeys, AppKeys: appKeys, Sessions: sessions, Logger: logger}))

	withKey := httptest.NewRequest(http.MethodPost, "/items?token=query-secret", nil)
	withKey.Header.Set("X-Request-ID", "req-1")
	withKey.Header.Set("X-API-Key", "api-key-almost-right")
	withKey.Header.Set("X-Space-App-Key", "app-key-almost-right")
	serve(h, withKey)
	withCookie := httptest.NewRequest(http.MethodGet, "/notes", nil)
	withCookie.Header.Set("X-Request-ID", "req-2")
	withCookie.AddCookie(forged)
	serve(h, withCookie)

	records := logs.lines(t)
	require.Len(t, records, 2)
	assert.Equal(t, "request rejected", records[0]["msg"])
	assert.Equal(t, "INFO", records[0]["level"])
	assert.Equal(t, "POST", records[0]["method"])
	assert.Equal(t, "/items", records[0]["path"])
	assert.Equal(t, "invalid API key", records[0]["reason"])
	assert.Equal(t, "req-1", records[0]["request_id"])
	assert.Equal(t, "invalid session", records[1]["reason"])
	assert.Equal(t, "req-2", records[1]["request_id"])

	output := logs.String()
	for _, secret := range []string{"api-key-almost-right", "app-key-almost-right",
		forged.Value, "query-secret"} {
		assert.NotContains(t, output, secret)
	}
}

func TestRejectionLogTruncatesLongPaths(t *testing.T) {
	t.Parallel()
	logger, logs := newLogger()
	h := protect(t, middleware.AuthOptions{APIKeys: apiKeys, Logger: logger})
	long := "/" + strings.Repeat("a", 1000)

	serve(h, httptest.NewRequest(http.MethodGet, long, nil))
	records := logs.lines(t)
	require.Len(t, records, 1)
	assert.Equal(t, long[:256]+"...", records[0]["path"])
}

func TestAuthWithoutLoggerIsSilent(t *testing.T) {
	t.Parallel()
	// With a nil Logger nothing is written anywhere; this only checks that rejection works.
	h := protect(t, middleware.AuthOptions{APIKeys: apiKeys})
	assert.Equal(t, http.StatusUnauthorized, serve(h, httptest.NewRequest("GET", "/", nil)).Code)
}
