package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLogFormatAndLevel(t *testing.T) {
	tests := []struct {
		format, level string
		check         func(t *testing.T, out string)
	}{
		{"text", "info", func(t *testing.T, out string) {
			assert.Contains(t, out, `level=INFO msg="micro started" micro=api pid=42`+"\n")
			assert.NotContains(t, out, "action scheduled", "debug is below the level")
		}},
		{"json", "debug", func(t *testing.T, out string) {
			lines := bytes.Split(bytes.TrimSpace([]byte(out)), []byte("\n"))
			require.Len(t, lines, 2)
			var entry map[string]any
			require.NoError(t, json.Unmarshal(lines[1], &entry))
			assert.Equal(t, "INFO", entry["level"])
			assert.Equal(t, "micro started", entry["msg"])
			assert.Equal(t, "api", entry["micro"])
			assert.Equal(t, float64(42), entry["pid"])
		}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			var out bytes.Buffer
			flags := logFlags{format: tt.format, level: tt.level}
			logger, err := flags.newLogger("up", &out)
			require.NoError(t, err)
			logger.Debug("action scheduled", "action", "tick")
			logger.Info("micro started", "micro", "api", "pid", 42)
			tt.check(t, out.String())
		})
	}
}
