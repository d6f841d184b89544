package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spacekit/spacekit/internal/router"
)

// Bounds of the flags, so that every run is bounded in count and time.
const (
	maxRequests    = 1_000_000
	maxRounds      = 100
	maxConnections = 1024
	maxRunTimeout  = 10 * time.Minute
)

// config is a validated set of flags.
type config struct {
	loadgen    string // path of the loadgen binary
	requests   int
	warmup     int
	rounds     int
	conns      []int
	micros     []int
	runTimeout time.Duration
	cpuProfile string
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "routerbench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, cfg, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "routerbench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	var conns, micros string
	fs := flag.NewFlagSet("routerbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.loadgen, "loadgen", "", "path of the loadgen binary "+
		"(go build -o PATH ./scripts/loadgen)")
	fs.IntVar(&cfg.requests, "n", 20_000, "measured requests of each loadgen run")
	fs.IntVar(&cfg.warmup, "warmup", 500, "warm-up requests of each loadgen run, not counted")
	fs.IntVar(&cfg.rounds, "count", 10, "rounds; each round runs loadgen once per target and "+
		"concurrency")
	fs.StringVar(&conns, "conns", "1,64", "comma-separated concurrent connections of the runs")
	fs.StringVar(&micros, "micros", "1,2,3,4,5", "comma-separated Micro counts of the routers, "+
		"one router each")
	fs.DurationVar(&cfg.runTimeout, "timeout", 2*time.Minute, "limit of each loadgen run")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the proxies and the "+
		"Micro, over all runs, to this file")

	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q: routerbench takes flags only", fs.Arg(0))
	}

	var err error
	if cfg.conns, err = parseCounts("-conns", conns, maxConnections); err != nil {
		return cfg, err
	}
	if cfg.micros, err = parseCounts("-micros", micros, router.MaxMicros); err != nil {
		return cfg, err
	}
	return cfg, cfg.validate()
}

// parseCounts parses a comma-separated list of distinct integers from 1 to limit.
func parseCounts(flagName, list string, limit int) ([]int, error) {
	var out []int
	seen := make(map[int]bool)
	for field := range strings.SplitSeq(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || n < 1 || n > limit || seen[n] {
			return nil, fmt.Errorf("%s %q: use distinct numbers from 1 to %d, separated by "+
				"commas", flagName, list, limit)
		}
		seen[n] = true
		out = append(out, n)
	}
	return out, nil
}

func (c config) validate() error {
	switch {
	case c.loadgen == "":
		return errors.New("-loadgen is missing: build loadgen with " +
			"go build -o PATH ./scripts/loadgen and give its PATH")
	case c.requests < 1 || c.requests > maxRequests:
		return fmt.Errorf("-n %d: use 1 to %d requests", c.requests, maxRequests)
	case c.warmup < 0 || c.warmup > maxRequests:
		return fmt.Errorf("-warmup %d: use 0 to %d requests", c.warmup, maxRequests)
	case c.rounds < 1 || c.rounds > maxRounds:
		return fmt.Errorf("-count %d: use 1 to %d rounds", c.rounds, maxRounds)
	case c.runTimeout <= 0 || c.runTimeout > maxRunTimeout:
		return fmt.Errorf("-timeout %s: use a duration above 0 and at most %s", c.runTimeout,
			maxRunTimeout)
	}
	if _, err := os.Stat(c.loadgen); err != nil {
		return fmt.Errorf("-loadgen %s: %w", c.loadgen, err)
	}
	return nil
}

// run starts the targets, checks them, and runs the rounds with an optional CPU profile.
func run(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	b, err := startBench(cfg.micros)
	if err != nil {
		return err
	}
	defer b.close()
	if err := b.check(ctx); err != nil {
		return fmt.Errorf("check the targets: %w", err)
	}
	writeHeader(stdout)

	if cfg.cpuProfile != "" {
		stopProfile, err := startCPUProfile(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	return runRounds(ctx, cfg, b, stdout, stderr)
}

func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
