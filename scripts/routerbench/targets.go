package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/spacekit/spacekit/envconfig"
)

// microBody is the Micro's response to every request: a short JSON body, as Micros send
// each other.
const microBody = `{"id":42,"title":"Buy milk","done":false,"tags":["home","shop"]}`

// requestPath is the path of every request. It belongs to the primary Micro.
const requestPath = "/items/42"

// target is one server that loadgen measures.
type target struct {
	name          string // the value of proxy= in the benchmark name
	addr          string // host:port of the target's server
	url           string // of requestPath on the target's server
	server        *http.Server
	transport     *http.Transport // the proxy's transport; nil for the Micro itself
	authenticated bool            // rejects a request without the key
}

// bench is the Micro and the servers in front of it.
type bench struct {
	apiKey  envconfig.Secret
	targets []*target
}

// startBench starts the Micro, the bare proxy and one router for each count in micros.
func startBench(micros []int) (*bench, error) {
	b := &bench{apiKey: envconfig.Secret(rand.Text())}
	direct, err := b.start("direct", http.HandlerFunc(serveMicro), nil, false)
	if err != nil {
		return nil, err
	}
	microURL := &url.URL{Scheme: "http", Host: direct.addr}
	if err := b.startProxies(microURL, micros); err != nil {
		b.close()
		return nil, err
	}
	return b, nil
}

func (b *bench) startProxies(microURL *url.URL, micros []int) error {
	bare, transport := newBareProxy(microURL)
	if _, err := b.start("bare", bare, transport, false); err != nil {
		return err
	}
	for _, n := range micros {
		rt, transport, err := newSpacedevRouter(n, microURL.Host, b.apiKey)
		if err != nil {
			return err
		}
		if _, err := b.start(fmt.Sprintf("router-%d", n), rt, transport, true); err != nil {
			return err
		}
	}
	return nil
}

func serveMicro(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, microBody)
}

// start serves h on a new loopback port, with the server settings of "spacedev up".
func (b *bench) start(name string, h http.Handler, transport *http.Transport,
	authenticated bool) (*target, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for %s: %w", name, err)
	}
	t := &target{
		name:          name,
		addr:          ln.Addr().String(),
		url:           "http://" + ln.Addr().String() + requestPath,
		server:        &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
		transport:     transport,
		authenticated: authenticated,
	}
	go func() { _ = t.server.Serve(ln) }()
	b.targets = append(b.targets, t)
	return t, nil
}

// close stops every server and closes the proxies' idle connections.
func (b *bench) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, t := range b.targets {
		_ = t.server.Shutdown(ctx)
		if t.transport != nil {
			t.transport.CloseIdleConnections()
		}
	}
}

// check sends one request with the key to each target and expects the Micro's body, and one
// without the key to each router and expects 401, so that a broken setup fails before the
// load runs.
func (b *bench) check(ctx context.Context) error {
	client := &http.Client{Transport: &http.Transport{Proxy: nil}, Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	for _, t := range b.targets {
		if err := checkResponse(ctx, client, t.url, b.apiKey, http.StatusOK, microBody); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		if !t.authenticated {
			continue
		}
		if err := checkResponse(ctx, client, t.url, "", http.StatusUnauthorized, ""); err != nil {
			return fmt.Errorf("%s without X-API-Key: %w", t.name, err)
		}
	}
	return nil
}

// checkResponse sends GET url with key, if any, in X-API-Key, and compares the status and,
// unless wantBody is empty, the body.
func checkResponse(ctx context.Context, client *http.Client, url string, key envconfig.Secret,
	wantStatus int, wantBody string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if !key.IsZero() {
		req.Header.Set("X-API-Key", key.Reveal())
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("GET %s: read the body: %w", url, err)
	}
	if resp.StatusCode != wantStatus {
		return fmt.Errorf("GET %s: status %d, expected %d", url, resp.StatusCode, wantStatus)
	}
	if wantBody != "" && string(body) != wantBody {
		return errors.New("GET " + url + ": the body is not the Micro's")
	}
	return nil
}
