package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// apiKeyEnv is the variable through which loadgen receives the key, so that the key stays out
// of the process list.
const apiKeyEnv = "SPACEKIT_BENCH_API_KEY"

// writeHeader prints the configuration lines that go test prints before its benchmarks, so
// that benchstat labels the table the same way.
func writeHeader(w io.Writer) {
	fmt.Fprintf(w, "goos: %s\ngoarch: %s\npkg: github.com/spacekit/spacekit/scripts/routerbench\n",
		runtime.GOOS, runtime.GOARCH)
	if model := cpuModel(); model != "" {
		fmt.Fprintf(w, "cpu: %s\n", model)
	}
}

// cpuModel returns the first "model name" of /proc/cpuinfo, or "" where there is none.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		name, value, ok := strings.Cut(scanner.Text(), ":")
		if ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return ""
}

// runRounds runs loadgen once per round, concurrency and target, in that nesting, so that a
// slow spell of the machine spreads over every target instead of falling on one.
func runRounds(ctx context.Context, cfg config, b *bench, stdout, stderr io.Writer) error {
	for round := 1; round <= cfg.rounds; round++ {
		for _, conns := range cfg.conns {
			for _, t := range b.targets {
				line, err := runLoadgen(ctx, cfg, b, t, conns, stderr)
				if err != nil {
					return fmt.Errorf("round %d, %s at %d connections: %w", round, t.name,
						conns, err)
				}
				if _, err := stdout.Write(line); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// runLoadgen runs loadgen against t and returns its benchmark line.
func runLoadgen(ctx context.Context, cfg config, b *bench, t *target, conns int,
	stderr io.Writer) ([]byte, error) {
	cmd := exec.CommandContext(ctx, cfg.loadgen,
		"-url", t.url,
		"-n", strconv.Itoa(cfg.requests),
		"-c", strconv.Itoa(conns),
		"-warmup", strconv.Itoa(cfg.warmup),
		"-api-key-env", apiKeyEnv,
		"-timeout", cfg.runTimeout.String(),
		"-name", fmt.Sprintf("BenchmarkLoad/proxy=%s/conns=%d", t.name, conns),
		"-format", "bench")
	cmd.Env = append(os.Environ(), apiKeyEnv+"="+b.apiKey.Reveal())
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("loadgen: %w", err)
	}
	return out.Bytes(), nil
}
