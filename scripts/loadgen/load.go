package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// target sends the requests of a run. It is safe for concurrent use.
type target struct {
	client     *http.Client
	transport  *http.Transport
	url        string
	apiKey     string
	wantStatus int
	dials      atomic.Int64 // connections opened so far
}

func newTarget(cfg config) *target {
	t := &target{url: cfg.url, apiKey: cfg.apiKey, wantStatus: cfg.wantStatus}
	t.transport = t.newTransport(cfg.concurrency)
	t.client = &http.Client{
		Transport: t.transport,
		Timeout:   cfg.requestTimeout,
		// A redirect response is returned as it is, because following it could leave the
		// loopback URL.
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return t
}

// newTransport returns a transport that keeps up to concurrency connections, all reused, and
// connects to loopback addresses only.
func (t *target) newTransport(concurrency int) *http.Transport {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: requireLoopback}
	return &http.Transport{
		Proxy: nil, // never through HTTP_PROXY, which may be another host
		DialContext: func(ctx context.Context, network, address string) (net.Conn, error) {
			t.dials.Add(1)
			return dialer.DialContext(ctx, network, address)
		},
		MaxIdleConns:        concurrency,
		MaxIdleConnsPerHost: concurrency,
		MaxConnsPerHost:     concurrency,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
}

// send makes one request, reads the whole response body and checks the status.
func (t *target) send(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.url, nil)
	if err != nil {
		return err
	}
	if t.apiKey != "" {
		req.Header.Set("X-API-Key", t.apiKey)
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return fmt.Errorf("GET %s: read the body: %w", t.url, err)
	}
	if resp.StatusCode != t.wantStatus {
		return fmt.Errorf("GET %s: status %d, expected %d", t.url, resp.StatusCode,
			t.wantStatus)
	}
	return nil
}

// outcome is the measurement of one load phase.
type outcome struct {
	latencies []time.Duration // of the requests that succeeded, in no order
	sent      int             // requests sent, failed ones included
	failed    int
	firstErr  error
	elapsed   time.Duration
}

// runLoad sends n requests with send from concurrency workers, each sending its requests one
// after another. It stops early when ctx ends.
func runLoad(ctx context.Context, send func(context.Context) error, n,
	concurrency int) outcome {
	var next atomic.Int64
	parts := make([]outcome, concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range parts {
		wg.Go(func() {
			parts[i] = work(ctx, send, &next, int64(n), n/concurrency+1)
		})
	}
	wg.Wait()
	return merge(parts, time.Since(start))
}

// work sends requests until the shared counter next passes n or ctx ends.
func work(ctx context.Context, send func(context.Context) error, next *atomic.Int64, n int64,
	capacity int) outcome {
	o := outcome{latencies: make([]time.Duration, 0, capacity)}
	for ctx.Err() == nil && next.Add(1) <= n {
		start := time.Now()
		err := send(ctx)
		took := time.Since(start)
		o.sent++
		if err != nil {
			o.failed++
			o.firstErr = cmpOr(o.firstErr, err)
			continue
		}
		o.latencies = append(o.latencies, took)
	}
	return o
}

func merge(parts []outcome, elapsed time.Duration) outcome {
	all := outcome{elapsed: elapsed}
	for _, p := range parts {
		all.latencies = append(all.latencies, p.latencies...)
		all.sent += p.sent
		all.failed += p.failed
		all.firstErr = cmpOr(all.firstErr, p.firstErr)
	}
	return all
}

// cmpOr returns a unless it is nil, else b.
func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// run warms up, measures and reports. It returns the exit status.
func run(ctx context.Context, cfg config, stdout, stderr io.Writer) int {
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	t := newTarget(cfg)
	defer t.transport.CloseIdleConnections()

	if cfg.warmup > 0 {
		warm := runLoad(ctx, t.send, cfg.warmup, cfg.concurrency)
		if warm.failed > 0 || warm.sent < cfg.warmup {
			fmt.Fprintf(stderr, "loadgen: warm-up failed: %d of %d requests failed, %d not "+
				"sent; first error: %v\n", warm.failed, cfg.warmup, cfg.warmup-warm.sent,
				cmpOr(warm.firstErr, ctx.Err()))
			return 1
		}
	}

	dialsBefore := t.dials.Load()
	o := runLoad(ctx, t.send, cfg.requests, cfg.concurrency)
	r := newReport(cfg, o, t.dials.Load()-dialsBefore)
	if err := r.write(stdout, cfg.format); err != nil {
		fmt.Fprintln(stderr, "loadgen: write the report:", err)
		return 1
	}
	return checkOutcome(cfg, o, ctx.Err(), stderr)
}

// checkOutcome returns 1, after saying why on stderr, when a request failed or the run ended
// before it sent every request.
func checkOutcome(cfg config, o outcome, ctxErr error, stderr io.Writer) int {
	code := 0
	if o.failed > 0 {
		fmt.Fprintf(stderr, "loadgen: %d of %d requests failed; first error: %v\n", o.failed,
			o.sent, o.firstErr)
		code = 1
	}
	if o.sent < cfg.requests {
		reason := "interrupted"
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			reason = fmt.Sprintf("stopped by -timeout %s", cfg.timeout)
		}
		fmt.Fprintf(stderr, "loadgen: %s after %d of %d requests\n", reason, o.sent,
			cfg.requests)
		code = 1
	}
	return code
}
