package main

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func lookupKey(name string) (string, bool) {
	if name == "BENCH_KEY" {
		return "secret-value", true
	}
	return "", false
}

func TestParseFlags(t *testing.T) {
	t.Parallel()
	cfg, err := parseFlags([]string{"-url", "http://127.0.0.1:9/x", "-n", "500", "-c", "64",
		"-warmup", "0", "-api-key-env", "BENCH_KEY", "-status", "204", "-timeout", "30s",
		"-request-timeout", "2s", "-name", "BenchmarkLoad/conns=64", "-format", "json"},
		lookupKey, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, config{url: "http://127.0.0.1:9/x", requests: 500, concurrency: 64,
		warmup: 0, apiKey: "secret-value", wantStatus: 204, timeout: 30 * time.Second,
		requestTimeout: 2 * time.Second, name: "BenchmarkLoad/conns=64", format: "json"}, cfg)
}

func TestParseFlagsInvalid(t *testing.T) {
	t.Parallel()
	url := "http://127.0.0.1:9/"
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no url", nil, "-url is missing"},
		{"remote url", []string{"-url", "http://192.0.2.1/"}, "is not a loopback address"},
		{"zero requests", []string{"-url", url, "-n", "0"}, "-n 0: use 1 to 10000000"},
		{"too many requests", []string{"-url", url, "-n", "10000001"}, "-n 10000001"},
		{"zero concurrency", []string{"-url", url, "-c", "0"}, "-c 0: use 1 to 1024"},
		{"negative warmup", []string{"-url", url, "-warmup", "-1"}, "-warmup -1"},
		{"bad status", []string{"-url", url, "-status", "42"}, "-status 42"},
		{"zero timeout", []string{"-url", url, "-timeout", "0s"}, "-timeout 0s"},
		{"long timeout", []string{"-url", url, "-timeout", "2h"}, "-timeout 2h0m0s"},
		{"request timeout above timeout", []string{"-url", url, "-timeout", "1s",
			"-request-timeout", "2s"}, "-request-timeout 2s"},
		{"name without prefix", []string{"-url", url, "-name", "Load"}, `-name "Load"`},
		{"name with space", []string{"-url", url, "-name", "Benchmark A"}, "use no spaces"},
		{"format", []string{"-url", url, "-format", "xml"}, `-format "xml"`},
		{"unset key variable", []string{"-url", url, "-api-key-env", "NOPE"},
			"-api-key-env NOPE: the variable is unset or empty"},
		{"argument", []string{"-url", url, "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseFlags(tt.args, lookupKey, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}
