package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/examples/notes/microserver"
	"github.com/spacekit/spacekit/middleware"
)

// envDataDir names the presets.env variable with the folder that contains notes.json.
const envDataDir = "DATA_DIR"

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil)).With("micro", "api")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := run(ctx, logger); err != nil {
		logger.Error("api stopped", "error", err)
		os.Exit(1)
	}
}

// run reads the environment, opens the store and serves until ctx ends.
func run(ctx context.Context, logger *slog.Logger) error {
	cfg, err := envconfig.Load()
	if err != nil {
		return err
	}
	dir, ok := cfg.Lookup(envDataDir)
	if !ok {
		return errors.New(envDataDir + " is unset: set it to the folder for notes.json")
	}
	store, err := OpenStore(dir, nil)
	if err != nil {
		return err
	}
	handler, err := newHandler(cfg, &api{store: store, logger: logger})
	if err != nil {
		return err
	}
	return microserver.Serve(ctx, cfg, handler, logger)
}

// newHandler returns the routes of a behind the api Micro's middleware.
func newHandler(cfg envconfig.Config, a *api) (http.Handler, error) {
	auth, err := newAuth(cfg, a.logger)
	if err != nil {
		return nil, err
	}
	chain := middleware.Chain(middleware.RequestID, middleware.Recover(a.logger), auth)
	return chain.Then(a.routes()), nil
}
