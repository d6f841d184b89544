package main

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/examples/notes/microserver"
	"github.com/spacekit/spacekit/middleware"
)

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil)).With("micro", "web")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := run(ctx, logger); err != nil {
		logger.Error("web stopped", "error", err)
		os.Exit(1)
	}
}

// run reads the environment and serves until ctx ends.
func run(ctx context.Context, logger *slog.Logger) error {
	cfg, err := envconfig.Load()
	if err != nil {
		return err
	}
	api, err := client.FromEnv(client.WithLogger(logger))
	if err != nil {
		return err
	}
	handler, err := newHandler(cfg, api, logger)
	if err != nil {
		return err
	}
	return microserver.Serve(ctx, cfg, handler, logger)
}

// newHandler returns the web Micro's routes behind its middleware. api calls the api Micro.
func newHandler(cfg envconfig.Config, api *client.Client, logger *slog.Logger) (http.Handler,
	error) {
	auth, err := newAuth(cfg, logger)
	if err != nil {
		return nil, err
	}
	pages, err := loadPages()
	if err != nil {
		return nil, err
	}
	s := &site{api: api, pages: pages, logger: logger}
	chain := middleware.Chain(middleware.RequestID, middleware.Recover(logger), auth)
	return chain.Then(s.routes()), nil
}
