package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	"unicode"
)

// Bounds of the flags, so that every run is bounded in count and time.
const (
	maxRequests    = 10_000_000
	maxConcurrency = 1024
	maxTimeout     = time.Hour
)

// Output formats of -format.
const (
	formatBench = "bench"
	formatJSON  = "json"
)

// config is a validated set of flags.
type config struct {
	url            string
	requests       int
	concurrency    int
	warmup         int
	apiKey         string // the value of the -api-key-env variable; never printed
	wantStatus     int
	timeout        time.Duration
	requestTimeout time.Duration
	name           string
	format         string
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.LookupEnv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, cfg, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// parseFlags parses and validates args. lookupEnv reads the variable that -api-key-env names.
func parseFlags(args []string, lookupEnv func(string) (string, bool),
	stderr io.Writer) (config, error) {
	var cfg config
	var apiKeyEnv string
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.url, "url", "", "loopback URL to GET, such as http://127.0.0.1:8080/items/42")
	fs.IntVar(&cfg.requests, "n", 10_000, "number of measured requests")
	fs.IntVar(&cfg.concurrency, "c", 1, "number of concurrent connections, one worker each")
	fs.IntVar(&cfg.warmup, "warmup", 200, "requests sent before the measured ones, not counted")
	fs.StringVar(&apiKeyEnv, "api-key-env", "", "environment variable whose value is sent "+
		"in X-API-Key; empty sends no key")
	fs.IntVar(&cfg.wantStatus, "status", 200, "expected HTTP status; any other counts as an error")
	fs.DurationVar(&cfg.timeout, "timeout", 2*time.Minute, "limit of the whole run, warm-up "+
		"included, such as 90s")
	fs.DurationVar(&cfg.requestTimeout, "request-timeout", 10*time.Second, "limit of one request")
	fs.StringVar(&cfg.name, "name", "BenchmarkLoad", "benchmark name of the output line")
	fs.StringVar(&cfg.format, "format", formatBench, "output format: bench (a Go benchmark "+
		"line, for benchstat) or json")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q: loadgen takes flags only", fs.Arg(0))
	}
	if err := cfg.readAPIKey(apiKeyEnv, lookupEnv); err != nil {
		return cfg, err
	}
	return cfg, cfg.validate()
}

func (c *config) readAPIKey(name string, lookupEnv func(string) (string, bool)) error {
	if name == "" {
		return nil
	}
	key, ok := lookupEnv(name)
	if !ok || key == "" {
		return fmt.Errorf("-api-key-env %s: the variable is unset or empty: set it to the key",
			name)
	}
	c.apiKey = key
	return nil
}

func (c *config) validate() error {
	if _, err := checkLoopbackURL(c.url); err != nil {
		return err
	}
	if err := c.validateCounts(); err != nil {
		return err
	}
	if err := c.validateTimes(); err != nil {
		return err
	}
	return c.validateOutput()
}

func (c *config) validateCounts() error {
	switch {
	case c.requests < 1 || c.requests > maxRequests:
		return fmt.Errorf("-n %d: use 1 to %d requests", c.requests, maxRequests)
	case c.concurrency < 1 || c.concurrency > maxConcurrency:
		return fmt.Errorf("-c %d: use 1 to %d connections", c.concurrency, maxConcurrency)
	case c.warmup < 0 || c.warmup > maxRequests:
		return fmt.Errorf("-warmup %d: use 0 to %d requests", c.warmup, maxRequests)
	case c.wantStatus < 100 || c.wantStatus > 599:
		return fmt.Errorf("-status %d: use an HTTP status from 100 to 599", c.wantStatus)
	}
	return nil
}

func (c *config) validateTimes() error {
	switch {
	case c.timeout <= 0 || c.timeout > maxTimeout:
		return fmt.Errorf("-timeout %s: use a duration above 0 and at most %s", c.timeout,
			maxTimeout)
	case c.requestTimeout <= 0 || c.requestTimeout > c.timeout:
		return fmt.Errorf("-request-timeout %s: use a duration above 0 and at most -timeout "+
			"(%s)", c.requestTimeout, c.timeout)
	}
	return nil
}

func (c *config) validateOutput() error {
	if !strings.HasPrefix(c.name, "Benchmark") || strings.ContainsFunc(c.name, unicode.IsSpace) {
		return fmt.Errorf("-name %q: start it with Benchmark and use no spaces, as benchstat "+
			"expects", c.name)
	}
	if c.format != formatBench && c.format != formatJSON {
		return fmt.Errorf("-format %q: use %s or %s", c.format, formatBench, formatJSON)
	}
	return nil
}
