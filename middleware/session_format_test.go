package middleware_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/middleware"
)

func TestSessionsFormatHidesKeys(t *testing.T) {
	t.Parallel()
	current := []byte("format-canary-current-key-32byte")
	old := []byte("format-canary-retired-key-32byte")
	s, err := middleware.NewSessions(middleware.SessionOptions{Keys: [][]byte{current, old},
		CookieName: "notes_session", TTL: 2 * time.Hour})
	require.NoError(t, err)

	want := `middleware.Sessions{keys: 2 [REDACTED], cookie: "notes_session", ttl: 2h0m0s}`
	assert.Equal(t, want, s.String())
	assert.Equal(t, "&"+want, s.GoString())
	assert.Equal(t, want, fmt.Sprintf("%v", s))
	assert.Equal(t, want, fmt.Sprintf("%+v", s))
	assert.Equal(t, want, fmt.Sprintf("%s", s))
	assert.Equal(t, "&"+want, fmt.Sprintf("%#v", s))
	assert.Equal(t, fmt.Sprintf("%q", want), fmt.Sprintf("%q", s))

	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("start", "sessions", s)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("start", "sessions", s)
	assert.Contains(t, text.String(),
		`sessions.keys="2 [REDACTED]" sessions.cookie=notes_session sessions.ttl=2h0m0s`)
	assert.Contains(t, js.String(),
		`"sessions":{"keys":"2 [REDACTED]","cookie":"notes_session","ttl":7200000000000}`)

	printed := []string{text.String(), js.String()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%o"} {
		printed = append(printed, fmt.Sprintf(verb, s))
	}
	for _, key := range [][]byte{current, old} {
		decimal := strings.Trim(fmt.Sprint(key), "[]")
		for _, form := range []string{string(key), decimal, hex.EncodeToString(key)} {
			for _, out := range printed {
				assert.NotContains(t, out, form)
			}
		}
	}
}

func TestSessionsFormatNil(t *testing.T) {
	t.Parallel()
	var s *middleware.Sessions
	assert.Equal(t, "middleware.Sessions(nil)", s.String())
	assert.Equal(t, "(*middleware.Sessions)(nil)", s.GoString())
	assert.Equal(t, "middleware.Sessions(nil)", fmt.Sprintf("%v", s))
	assert.Equal(t, "middleware.Sessions(nil)", s.LogValue().String())
}
