package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
	"github.com/spacekit/spacekit/middleware"
)

// The command spacedev is a main package, so its setup cannot be imported. The functions in
// this file copy its wiring, with the same settings: the shared transport (proxy.go), one
// ReverseProxy per Micro (proxy.go), router.New with a key, sessions, a logger and an access
// log (handler.go, access.go). They copy no routing logic: that is internal/router itself.
// NOTE: spacedev's control endpoint in front of the router, a prefix check for
// "/__spacedev/", is left out. A change to spacedev's wiring must be copied here.

// newSpacedevTransport returns a transport with the settings of spacedev's newTransport.
func newSpacedevTransport() *http.Transport {
	return &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 128,
		IdleConnTimeout:     90 * time.Second,
	}
}

// newSpacedevProxy returns a proxy to host built as spacedev's newMicroProxy builds it: Rewrite
// sets the scheme and host only, keeps the Host header, and copies the router's X-Forwarded-*
// headers back, since ReverseProxy drops them when it uses Rewrite.
func newSpacedevProxy(host string, transport http.RoundTripper,
	logger *slog.Logger) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme = "http"
			pr.Out.URL.Host = host
			for _, h := range router.ForwardedHeaders {
				if values, ok := pr.In.Header[h]; ok {
					pr.Out.Header[h] = values
				}
			}
		},
		Transport: transport,
		ErrorLog:  slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// spacedevLogger returns a logger like spacedev's default one (text, info level) that writes
// to io.Discard: the benchmark pays for formatting each line but not for a terminal.
func spacedevLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// spacedevAccessLog formats one info line per request, with the attributes of spacedev's
// access log.
func spacedevAccessLog(logger *slog.Logger) func(router.AccessRecord) {
	return func(rec router.AccessRecord) {
		attrs := []slog.Attr{
			slog.String("method", rec.Method),
			slog.String("path", rec.Path),
			slog.String("micro", rec.Micro),
			slog.Int("status", rec.Status),
			slog.Duration("duration", rec.Duration),
		}
		logger.LogAttrs(context.Background(), slog.LevelInfo, "request", attrs...)
	}
}

// newSpacedevRouter returns the router of an app of micros Micros (1 to router.MaxMicros), as
// "spacedev up" builds it with authentication on, every Micro proxied to microHost through one
// shared transport. The primary is "web" at "/"; the others are "m1" to "m4" at "/m1" to "/m4".
// The returned transport is for closing idle connections.
func newSpacedevRouter(micros int, microHost string,
	apiKey envconfig.Secret) (*router.Router, *http.Transport, error) {
	logger := spacedevLogger()
	transport := newSpacedevTransport()
	list := make([]router.Micro, 0, micros)
	for i := range micros {
		m := router.Micro{Name: "web", Path: "/", Primary: true}
		if i > 0 {
			m = router.Micro{Name: fmt.Sprintf("m%d", i), Path: fmt.Sprintf("/m%d", i)}
		}
		m.Handler = newSpacedevProxy(microHost, transport, logger)
		list = append(list, m)
	}
	sessionKey := make([]byte, 32)
	_, _ = rand.Read(sessionKey) // crypto/rand.Read never returns an error
	sessions, err := middleware.NewSessions(middleware.SessionOptions{
		Keys:          [][]byte{sessionKey},
		CookieName:    "spacedev_session_bench",
		LoginTokenTTL: 10 * time.Minute,
		Logger:        logger,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("set up sessions: %w", err)
	}
	rt, err := router.New(router.Options{
		Micros:    list,
		APIKey:    apiKey,
		Sessions:  sessions,
		Logger:    logger,
		AccessLog: spacedevAccessLog(logger),
	})
	if err != nil {
		return nil, nil, fmt.Errorf("set up the router with %d Micros: %w", micros, err)
	}
	return rt, transport, nil
}

// newBareProxy returns the baseline: a ReverseProxy to microURL as a user would write it,
// with Rewrite setting the URL and the X-Forwarded-* headers, and the same transport settings
// as spacedev's proxies, so that the two differ only by the router.
func newBareProxy(microURL *url.URL) (*httputil.ReverseProxy, *http.Transport) {
	transport := newSpacedevTransport()
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(microURL)
			pr.Out.Host = pr.In.Host
			pr.SetXForwarded()
		},
		Transport: transport,
	}, transport
}
