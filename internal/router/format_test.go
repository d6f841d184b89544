package router_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
	"github.com/spacekit/spacekit/middleware"
)

func TestRouterFormatHidesKeys(t *testing.T) {
	t.Parallel()
	const apiKey = "sk-router-format-canary"
	const appKey = "ak-router-format-canary"
	sessionKey := []byte("router-format-canary-session-key")
	sessions, err := middleware.NewSessions(middleware.SessionOptions{Keys: [][]byte{sessionKey}})
	require.NoError(t, err)
	r, err := router.New(router.Options{APIKey: apiKey, Sessions: sessions,
		Micros: []router.Micro{
			{Name: "web", Primary: true, Handler: http.NotFoundHandler()},
			{Name: "api", Handler: http.NotFoundHandler(), AppKeys: true},
		}})
	require.NoError(t, err)
	r.AddAppKey(envconfig.Secret(appKey))

	want := "router.Router{micros: [web /, api /api], api_key: [REDACTED], " +
		"app_keys: 1 [REDACTED], sessions: " + sessions.String() + "}"
	assert.Equal(t, want, r.String())
	assert.Equal(t, "&"+want, r.GoString())
	assert.Equal(t, want, fmt.Sprintf("%v", r))
	assert.Equal(t, want, fmt.Sprintf("%+v", r))
	assert.Equal(t, want, fmt.Sprintf("%s", r))
	assert.Equal(t, "&"+want, fmt.Sprintf("%#v", r))
	assert.Equal(t, fmt.Sprintf("%q", want), fmt.Sprintf("%q", r))

	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("start", "router", r)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("start", "router", r)
	assert.Contains(t, text.String(), `router.micros="web /, api /api" router.auth=true `+
		`router.api_key=[REDACTED] router.app_keys="1 [REDACTED]" router.sessions.keys=`)
	assert.Contains(t, js.String(), `"router":{"micros":"web /, api /api","auth":true,`+
		`"api_key":"[REDACTED]","app_keys":"1 [REDACTED]","sessions":{"keys":"1 [REDACTED]"`)

	printed := []string{text.String(), js.String()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%o"} {
		printed = append(printed, fmt.Sprintf(verb, r))
	}
	for _, out := range printed {
		assert.NotContains(t, out, apiKey)
		assert.NotContains(t, out, appKey)
		assert.NotContains(t, out, string(sessionKey))
		assert.NotContains(t, out, fmt.Sprintf("%x", apiKey))
	}
}

func TestRouterFormatWithoutAuth(t *testing.T) {
	t.Parallel()
	r, err := router.New(router.Options{NoAuth: true,
		Micros: []router.Micro{{Name: "solo", Handler: http.NotFoundHandler()}}})
	require.NoError(t, err)
	assert.Equal(t, "router.Router{micros: [solo /], auth: off}", r.String())

	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("start", "router", r)
	assert.Contains(t, js.String(), `"router":{"micros":"solo /","auth":false}`)

	var nilRouter *router.Router
	assert.Equal(t, "router.Router(nil)", fmt.Sprintf("%v", nilRouter))
	assert.Equal(t, "(*router.Router)(nil)", fmt.Sprintf("%#v", nilRouter))
}
