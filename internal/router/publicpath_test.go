package router_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
)

// The line that logs a request rejected by authentication names the path the client
// requested, as the access log does, and the Micro-relative path as micro_path.
func TestRejectionLogNamesPublicPath(t *testing.T) {
	tests := []struct {
		target    string
		path      string
		microPath string
	}{
		{"/api/notes?token=x", "/api/notes", "/notes"},
		{"/api", "/api", "/"},
		{"/v1/api/a%2Fb", "/v1/api/a%2Fb", "/a/b"},
		{"/notes", "/notes", "/notes"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			var buf bytes.Buffer
			var access []router.AccessRecord
			r, err := router.New(router.Options{
				Micros:    threeMicros(),
				APIKey:    envconfig.Secret(testAPIKey),
				Sessions:  newSessions(t),
				Logger:    slog.New(slog.NewJSONHandler(&buf, nil)),
				AccessLog: func(rec router.AccessRecord) { access = append(access, rec) },
			})
			require.NoError(t, err)

			rec := serve(r, httptest.NewRequest(http.MethodGet, tt.target, nil))
			require.Equal(t, http.StatusUnauthorized, rec.Code)

			line := rejectionLine(t, buf.String())
			assert.Equal(t, tt.path, line["path"])
			assert.Equal(t, tt.microPath, line["micro_path"])
			assert.Equal(t, "GET", line["method"])
			assert.Contains(t, line, "reason")
			require.Len(t, access, 1)
			assert.Equal(t, access[0].Path, line["path"], "the access log's path")
		})
	}
}

// The public path in a rejection line is cut at the same length as in the router's other
// lines, since a client chooses it.
func TestRejectionLogCutsLongPath(t *testing.T) {
	var buf bytes.Buffer
	r, err := router.New(router.Options{
		Micros:   threeMicros(),
		APIKey:   envconfig.Secret(testAPIKey),
		Sessions: newSessions(t),
		Logger:   slog.New(slog.NewJSONHandler(&buf, nil)),
	})
	require.NoError(t, err)

	long := "/api/" + strings.Repeat("x", 1000)
	require.Equal(t, http.StatusUnauthorized,
		serve(r, httptest.NewRequest(http.MethodGet, long, nil)).Code)
	line := rejectionLine(t, buf.String())
	assert.Equal(t, long[:256]+"...", line["path"])
}

// rejectionLine returns the one "request rejected" line of a JSON log.
func rejectionLine(t *testing.T, log string) map[string]any {
	t.Helper()
	var found []map[string]any
	for text := range strings.SplitSeq(strings.TrimSpace(log), "\n") {
		var line map[string]any
		require.NoError(t, json.Unmarshal([]byte(text), &line), text)
		if line["msg"] == "request rejected" {
			found = append(found, line)
		}
	}
	require.Len(t, found, 1, log)
	return found[0]
}
