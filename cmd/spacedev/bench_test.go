package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"runtime"
	"strconv"
	"testing"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
	"github.com/spacekit/spacekit/middleware"
)

// BenchmarkProxy compares a request through spacedev's server with one through a bare
// httputil.ReverseProxy, the alternative a user would write. spacedev's server is the control
// endpoint, the router with authentication by X-API-Key, and the Micro's reverse proxy. Both
// proxies use the same transport in front of the same loopback Micro, with 1 and with 64
// concurrent clients.
func BenchmarkProxy(b *testing.B) {
	micro := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	defer micro.Close()
	target, err := url.Parse(micro.URL)
	if err != nil {
		b.Fatal(err)
	}

	bare := httptest.NewServer(newBareProxy(target))
	defer bare.Close()
	dev := httptest.NewServer(newDevHandler(b, target))
	defer dev.Close()

	for _, conns := range []int{1, 64} {
		b.Run(fmt.Sprintf("bare/conns=%d", conns), func(b *testing.B) {
			benchmarkGets(b, bare.URL+"/api/items", conns)
		})
		b.Run(fmt.Sprintf("spacedev/conns=%d", conns), func(b *testing.B) {
			benchmarkGets(b, dev.URL+"/api/items", conns)
		})
	}
}

// newBareProxy is a plain reverse proxy that forwards every request to target unchanged.
func newBareProxy(target *url.URL) http.Handler {
	transport := newTransport()
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.SetXForwarded()
		},
		Transport: transport,
	}
}

// newDevHandler is what "spacedev up" serves, with authentication on, for an app whose "api"
// Micro listens on target.
func newDevHandler(b *testing.B, target *url.URL) http.Handler {
	port, err := strconv.Atoi(target.Port())
	if err != nil {
		b.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	sessions, err := middleware.NewSessions(middleware.SessionOptions{Keys: [][]byte{
		make([]byte, 32)}})
	if err != nil {
		b.Fatal(err)
	}
	rt, err := router.New(router.Options{
		APIKey:    benchKey,
		Sessions:  sessions,
		Logger:    logger,
		AccessLog: accessLogger(logger),
		Micros: []router.Micro{
			{Name: "web", Primary: true, Handler: http.NotFoundHandler()},
			{Name: "api", Path: "/api", Handler: newMicroProxy("api", port, newTransport(),
				logger)},
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	return &control{apiKey: benchKey, trigger: rt.Trigger, logger: logger, next: rt}
}

const benchKey = envconfig.Secret("bench-key")

// benchmarkGets sends GET requests to url from conns concurrent clients.
func benchmarkGets(b *testing.B, url string, conns int) {
	transport := &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 2 * conns}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport}
	b.ReportAllocs()
	if conns == 1 {
		for b.Loop() {
			get(b, client, url)
		}
		return
	}
	b.SetParallelism((conns + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			get(b, client, url)
		}
	})
}

func get(b *testing.B, client *http.Client, url string) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		b.Error(err)
		return
	}
	req.Header.Set("X-API-Key", benchKey.Reveal())
	resp, err := client.Do(req)
	if err != nil {
		b.Error(err)
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
}
