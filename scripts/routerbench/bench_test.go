package main

import (
	"bytes"
	"context"
	"net/http"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStartBenchTargets(t *testing.T) {
	t.Parallel()
	b, err := startBench([]int{1, 5})
	require.NoError(t, err)
	defer b.close()

	var names []string
	for _, target := range b.targets {
		names = append(names, target.name)
	}
	assert.Equal(t, []string{"direct", "bare", "router-1", "router-5"}, names)
	require.NoError(t, b.check(t.Context()), "every target serves the Micro's body")
}

func TestRouterRejectsWithoutKey(t *testing.T) {
	t.Parallel()
	b, err := startBench([]int{3})
	require.NoError(t, err)
	defer b.close()
	client := &http.Client{Transport: &http.Transport{Proxy: nil}}
	defer client.CloseIdleConnections()

	routerURL := b.targets[2].url
	require.NoError(t, checkResponse(t.Context(), client, routerURL, "", http.StatusUnauthorized,
		""))
	require.NoError(t, checkResponse(t.Context(), client, routerURL, "wrong-key",
		http.StatusUnauthorized, ""))
	err = checkResponse(t.Context(), client, routerURL, b.apiKey, http.StatusUnauthorized, "")
	require.Error(t, err, "the router accepts the app's key")
	assert.Contains(t, err.Error(), "status 200, expected 401")
}

// TestRunWithLoadgen builds loadgen and runs one short round against every target, as
// bench.sh does.
func TestRunWithLoadgen(t *testing.T) {
	t.Parallel()
	loadgen := filepath.Join(t.TempDir(), "loadgen")
	build := exec.CommandContext(t.Context(), "go", "build", "-o", loadgen, "../loadgen")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	cfg := config{loadgen: loadgen, requests: 50, warmup: 5, rounds: 2, conns: []int{1, 4},
		micros: []int{2}, runTimeout: time.Minute}
	var stdout, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), cfg, &stdout, &stderr), stderr.String())

	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	assert.Equal(t, "goos: "+runtime.GOOS, lines[0])
	var benchLines []string
	for _, line := range lines {
		if strings.HasPrefix(line, "Benchmark") {
			benchLines = append(benchLines, line)
		}
	}
	require.Len(t, benchLines, 2*2*3, "rounds x conns x targets")
	assert.True(t, strings.HasPrefix(benchLines[0], "BenchmarkLoad/proxy=direct/conns=1\t50\t"))
	assert.True(t, strings.HasPrefix(benchLines[5], "BenchmarkLoad/proxy=router-2/conns=4\t50\t"))
	for _, line := range benchLines {
		assert.Contains(t, line, "\t0 errors\t")
	}
	assert.Empty(t, stderr.String())
}
