package envconfig_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
)

// secretValue is recognisable, so a leak of it or of a part of it is easy to find.
const secretValue = "sk-LEAK-7f3a9c"

func TestSecretRevealReturnsValue(t *testing.T) {
	t.Parallel()
	s := envconfig.Secret(secretValue)
	assert.Equal(t, secretValue, s.Reveal())
	assert.False(t, s.IsZero())
	assert.True(t, envconfig.Secret("").IsZero())
}

func TestSecretFormatsRedacted(t *testing.T) {
	t.Parallel()
	s := envconfig.Secret(secretValue)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%d", "%20s", "%-3v",
		"%.2s", "%10.1x"} {
		got := fmt.Sprintf(verb, s)
		assert.NotContains(t, got, "LEAK", verb)
		assert.Contains(t, got, envconfig.Redacted, verb)
	}
	assert.Equal(t, `"[REDACTED]"`, fmt.Sprintf("%q", s))
	assert.Equal(t, envconfig.Redacted, s.String())
	assert.Equal(t, envconfig.Redacted, s.GoString())
	assert.Equal(t, envconfig.Redacted, fmt.Sprint(s))
	assert.Equal(t, envconfig.Redacted+"\n", fmt.Sprintln(s))
}

func TestSecretRedactionHidesLength(t *testing.T) {
	t.Parallel()
	short := envconfig.Secret("a")
	long := envconfig.Secret("a much longer secret value than the first one")
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		assert.Equal(t, fmt.Sprintf(verb, short), fmt.Sprintf(verb, long), verb)
	}
}

func TestSecretMarshalsRedacted(t *testing.T) {
	t.Parallel()
	s := envconfig.Secret(secretValue)

	data, err := json.Marshal(map[string]any{"key": s})
	require.NoError(t, err)
	assert.JSONEq(t, `{"key":"[REDACTED]"}`, string(data))

	text, err := s.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, envconfig.Redacted, string(text))

	type doc struct {
		Key envconfig.Secret `xml:"key"`
	}
	data, err = xml.Marshal(doc{Key: s})
	require.NoError(t, err)
	assert.Equal(t, "<doc><key>[REDACTED]</key></doc>", string(data))
}

func TestSecretLogsRedacted(t *testing.T) {
	t.Parallel()
	for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			logger := slog.New(newHandler(&buf))
			s := envconfig.Secret(secretValue)
			logger.Info("loaded", "key", s, slog.Any("any", s))
			logger.Info("formatted", "msg", fmt.Sprintf("%v %s", s, s))
			assert.NotContains(t, buf.String(), "LEAK")
			assert.Contains(t, buf.String(), envconfig.Redacted)
		})
	}
}

func TestConfigPrintedWholeHidesKeys(t *testing.T) {
	t.Parallel()
	vars := baseVars()
	vars[envconfig.EnvAPIKey] = secretValue
	vars[envconfig.EnvProjectKey] = "proj_" + secretValue
	vars[envconfig.EnvSessionKey] = "session-key-" + secretValue + "-0123456789abcdef"
	cfg, err := envconfig.LoadFrom(lookupMap(vars))
	require.NoError(t, err)

	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		got := fmt.Sprintf(verb, cfg)
		assert.NotContains(t, got, "LEAK", verb)
		got = fmt.Sprintf(verb, &cfg)
		assert.NotContains(t, got, "LEAK", verb)
	}

	data, err := json.Marshal(cfg)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "LEAK")
	assert.Contains(t, string(data), `"APIKey":"[REDACTED]"`)

	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "cfg", cfg)
	assert.NotContains(t, buf.String(), "LEAK")
	assert.Contains(t, buf.String(), `"api_key":"[REDACTED]"`)
	assert.Contains(t, buf.String(), `"hostname":"notes-1-a1b2.deta.app"`)
}
