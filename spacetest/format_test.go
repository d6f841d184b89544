package spacetest_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/spacekit/spacekit/spacetest"
)

func TestAppFormatHidesKeys(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t,
		spacetest.Micro{Name: "web", Primary: true, Handler: http.NotFoundHandler()},
		spacetest.Micro{Name: "api", Handler: http.NotFoundHandler(), AppKeys: true})
	appKey := app.NewAppKey()
	apiKey := app.Env("web").APIKey.Reveal()

	want := `spacetest.App{micros: [web /, api /api], url: "http://app.spacetest.localhost", ` +
		`api_key: [REDACTED], auth: on}`
	assert.Equal(t, want, app.String())
	assert.Equal(t, "&"+want, app.GoString())
	assert.Equal(t, want, fmt.Sprintf("%v", app))
	assert.Equal(t, want, fmt.Sprintf("%+v", app))
	assert.Equal(t, want, fmt.Sprintf("%s", app))
	assert.Equal(t, "&"+want, fmt.Sprintf("%#v", app))
	assert.Equal(t, fmt.Sprintf("%q", want), fmt.Sprintf("%q", app))

	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("start", "app", app)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("start", "app", app)
	assert.Contains(t, text.String(), `app.micros="web /, api /api" `+
		`app.url=http://app.spacetest.localhost app.api_key=[REDACTED] app.auth=true`)
	assert.Contains(t, js.String(), `"app":{"micros":"web /, api /api",`+
		`"url":"http://app.spacetest.localhost","api_key":"[REDACTED]","auth":true}`)

	printed := []string{text.String(), js.String()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%o"} {
		printed = append(printed, fmt.Sprintf(verb, app))
	}
	for _, out := range printed {
		assert.NotContains(t, out, apiKey)
		assert.NotContains(t, out, appKey)
		assert.NotContains(t, out, fmt.Sprintf("%x", apiKey))
	}
}

func TestAppFormatServedWithoutAuth(t *testing.T) {
	t.Parallel()
	app := spacetest.NewWithOptions(t, spacetest.Options{NoAuth: true},
		spacetest.Micro{Name: "solo", Handler: http.NotFoundHandler()})
	url := app.Serve()
	assert.Equal(t, fmt.Sprintf(`spacetest.App{micros: [solo /], url: %q, api_key: [REDACTED], `+
		`auth: off}`, url), app.String())

	var nilApp *spacetest.App
	assert.Equal(t, "spacetest.App(nil)", fmt.Sprintf("%v", nilApp))
	assert.Equal(t, "(*spacetest.App)(nil)", fmt.Sprintf("%#v", nilApp))
}
