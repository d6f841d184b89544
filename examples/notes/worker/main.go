package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/examples/notes/microserver"
	"github.com/spacekit/spacekit/middleware"
)

// envDataDir names the presets.env variable with the folder that contains stats.json.
const envDataDir = "DATA_DIR"

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil)).With("micro", "worker")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := run(ctx, logger); err != nil {
		logger.Error("worker stopped", "error", err)
		os.Exit(1)
	}
}

// run reads the environment, opens the statistics and serves until ctx ends.
func run(ctx context.Context, logger *slog.Logger) error {
	cfg, err := envconfig.Load()
	if err != nil {
		return err
	}
	dir, ok := cfg.Lookup(envDataDir)
	if !ok {
		return errors.New(envDataDir + " is unset: set it to the folder for stats.json")
	}
	stats, err := OpenStatsStore(dir)
	if err != nil {
		return err
	}
	api, err := client.FromEnv(client.WithLogger(logger))
	if err != nil {
		return err
	}
	wk := &worker{api: api, stats: stats, now: time.Now, logger: logger}
	handler, err := newHandler(cfg, wk)
	if err != nil {
		return err
	}
	return microserver.Serve(ctx, cfg, handler, logger)
}

// newHandler returns the routes of wk behind the worker Micro's middleware.
func newHandler(cfg envconfig.Config, wk *worker) (http.Handler, error) {
	auth, err := newAuth(cfg, wk.logger)
	if err != nil {
		return nil, err
	}
	chain := middleware.Chain(middleware.RequestID, middleware.Recover(wk.logger), auth)
	return chain.Then(wk.routes()), nil
}
