package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"time"

	"github.com/spacekit/spacekit/internal/router"
)

// newTransport returns the transport shared by every Micro's proxy. It keeps enough idle
// connections per Micro that 64 concurrent requests reuse them instead of opening new ones.
func newTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 nil, // Micros are on loopback: never through HTTP_PROXY
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   128,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 0, // the router bounds each request
	}
}

// newMicroProxy returns the handler that forwards a Micro's requests to the process listening
// on 127.0.0.1:port, as the router package's doc describes. The path and query arrive as the
// router left them, the Host header is kept, and the router's X-Forwarded-* headers are passed
// on. A Micro that cannot be reached gets a 502. The router replaces it with 504 or 413 when
// its timeout or body limit caused the failure.
func newMicroProxy(name string, port int, transport http.RoundTripper,
	logger *slog.Logger) http.Handler {
	host := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme = "http"
			pr.Out.URL.Host = host
			// ReverseProxy drops X-Forwarded-* from Out when it uses Rewrite, so the
			// router's values are copied back. Host is kept as the router received it.
			for _, h := range router.ForwardedHeaders {
				if values, ok := pr.In.Header[h]; ok {
					pr.Out.Header[h] = values
				}
			}
		},
		Transport:    transport,
		ErrorHandler: proxyErrorHandler(name, host, logger),
		ErrorLog:     slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// proxyErrorHandler sends 502 when the Micro cannot be reached. A request whose client went
// away gets no response, since no one would read it.
func proxyErrorHandler(name, host string,
	logger *slog.Logger) func(http.ResponseWriter, *http.Request, error) {
	throttled := newThrottledLogger(logger)
	return func(w http.ResponseWriter, r *http.Request, err error) {
		if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
			return
		}
		throttled.log(slog.LevelWarn, "micro unreachable", slog.String("micro", name),
			slog.String("address", host), slog.Any("error", err))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusBadGateway)
		_ = json.NewEncoder(w).Encode(map[string]string{
			"error":   "bad_gateway",
			"message": "Micro " + name + " is not reachable on " + host + "; see its output",
		})
	}
}
