package middleware_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/internal/requestid"
	"github.com/spacekit/spacekit/middleware"
)

// generatedID is the form of an ID that RequestID makes: crypto/rand.Text's base32.
var generatedID = regexp.MustCompile(`^[A-Z2-7]{26}$`)

// idRecorder returns a handler that stores the request ID it receives in *got.
func idRecorder(got *string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := middleware.RequestIDFrom(r.Context())
		if !ok {
			id = "<none>"
		}
		*got = id
	})
}

func TestRequestIDIncoming(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		incoming []string
		keep     bool
	}{
		{"uuid", []string{"3c5e2b0a-6f1d-4a8e-9b7c-0d2e4f6a8b1c"}, true},
		{"allowed punctuation", []string{"web.1:req_42-a"}, true},
		{"64 bytes", []string{strings.Repeat("a", 64)}, true},
		{"65 bytes", []string{strings.Repeat("a", 65)}, false},
		{"empty", []string{""}, false},
		{"space", []string{"a b"}, false},
		{"newline", []string{"a\nb"}, false},
		{"quote", []string{`a"b`}, false},
		{"non-ASCII", []string{"ä"}, false},
		{"repeated", []string{"a", "b"}, false},
		{"absent", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got string
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.incoming != nil {
				r.Header["X-Request-Id"] = tt.incoming
			}
			w := serve(middleware.RequestID(idRecorder(&got)), r)

			assert.Equal(t, got, w.Header().Get("X-Request-ID"))
			if tt.keep {
				assert.Equal(t, tt.incoming[0], got)
			} else {
				assert.Regexp(t, generatedID, got)
			}
		})
	}
}

func TestRequestIDGeneratesDistinctIDs(t *testing.T) {
	t.Parallel()
	var got string
	h := middleware.RequestID(idRecorder(&got))
	seen := make(map[string]bool)
	for range 100 {
		serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
		assert.False(t, seen[got], "ID %q generated twice", got)
		seen[got] = true
	}
}

func TestRequestIDTwiceKeepsID(t *testing.T) {
	t.Parallel()
	var got string
	h := middleware.RequestID(middleware.RequestID(idRecorder(&got)))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("X-Request-ID", "not valid!")

	w := serve(h, r)
	assert.Regexp(t, generatedID, got)
	assert.Equal(t, []string{got}, w.Header().Values("X-Request-ID"))
}

func TestRequestIDSharedWithClientPackage(t *testing.T) {
	t.Parallel()
	var fromInternal string
	h := middleware.RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fromInternal, _ = requestid.FromContext(r.Context())
	}))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("X-Request-ID", "req-7")
	serve(h, r)
	assert.Equal(t, "req-7", fromInternal)
}

func TestRequestIDFrom(t *testing.T) {
	t.Parallel()
	id, ok := middleware.RequestIDFrom(context.Background())
	assert.False(t, ok)
	assert.Empty(t, id)

	var nilContext context.Context
	_, ok = middleware.RequestIDFrom(nilContext)
	assert.False(t, ok)

	id, ok = middleware.RequestIDFrom(requestid.NewContext(context.Background(), "x"))
	require.True(t, ok)
	assert.Equal(t, "x", id)
}
