// Package microserver runs a notes Micro's HTTP server on the port its environment names.
package microserver

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/spacekit/spacekit/envconfig"
)

// shutdownTimeout is how long Serve waits for requests in flight when it stops.
const shutdownTimeout = 5 * time.Second

// Serve listens on the Micro's port until ctx ends, then shuts down gracefully. Off Space it
// listens on the loopback interface only, so nothing outside this machine reaches the Micro.
func Serve(ctx context.Context, cfg envconfig.Config, h http.Handler, logger *slog.Logger) error {
	host := "127.0.0.1"
	if cfg.OnSpace {
		host = ""
	}
	srv := &http.Server{
		Addr:              net.JoinHostPort(host, strconv.Itoa(cfg.Port)),
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	failed := make(chan error, 1)
	go func() { failed <- srv.ListenAndServe() }()
	logger.Info("listening", "addr", srv.Addr)

	select {
	case err := <-failed:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if err := <-failed; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return err
}
