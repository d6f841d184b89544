package client

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/stretchr/testify/require"
)

// Every benchmark of a run sends its requests to the same loopback server, so that the
// alternatives in one run are measured against the same peer:
//
//	go test -run '^$' -bench . -benchmem -count=5 ./client/

// smallJSON is the body of GET /small, a typical short response from a sibling Micro.
const smallJSON = `{"id":1,"title":"Buy milk","done":false,"tags":["home","shop"]}`

type benchNote struct {
	ID    int      `json:"id"`
	Title string   `json:"title"`
	Done  bool     `json:"done"`
	Tags  []string `json:"tags"`
}

var (
	benchOnce    sync.Once
	benchSrv     *httptest.Server
	benchConns   atomic.Int64
	benchPayload = randomBytes(4 << 20)
)

// benchServer returns the shared loopback server, starting it on first use. It serves
// GET /small, GET /bytes?n=N (N bytes of payload) and POST /upload (reads the body, responds
// 204), and counts the connections it accepts.
func benchServer(b *testing.B) *httptest.Server {
	b.Helper()
	benchOnce.Do(func() {
		mux := http.NewServeMux()
		mux.HandleFunc("GET /small", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, smallJSON)
		})
		mux.HandleFunc("GET /bytes", func(w http.ResponseWriter, r *http.Request) {
			n, _ := strconv.Atoi(r.URL.Query().Get("n"))
			_, _ = w.Write(benchPayload[:min(n, len(benchPayload))])
		})
		mux.HandleFunc("POST /upload", func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusNoContent)
		})
		benchSrv = httptest.NewUnstartedServer(mux)
		benchSrv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
			if state == http.StateNew {
				benchConns.Add(1)
			}
		}
		benchSrv.Start()
	})
	return benchSrv
}

func stopBenchServer() {
	if benchSrv != nil {
		benchSrv.Close()
	}
}

// newBenchClient returns a Client for the benchmark server with default options.
func newBenchClient(b *testing.B, srv *httptest.Server) *Client {
	b.Helper()
	c, err := New(testConfig(b, srv.URL))
	require.NoError(b, err)
	b.Cleanup(c.CloseIdleConnections)
	return c
}

// newNetHTTPClient returns what a caller gets from net/http alone: an http.Client with its own
// copy of http.DefaultTransport.
func newNetHTTPClient(b *testing.B) *http.Client {
	b.Helper()
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	b.Cleanup(hc.CloseIdleConnections)
	return hc
}

// newRetryableClient returns retryablehttp's default client with its logger turned off, which
// otherwise writes a line to stderr for every request.
func newRetryableClient(b *testing.B) *retryablehttp.Client {
	b.Helper()
	rc := retryablehttp.NewClient()
	rc.Logger = nil
	b.Cleanup(rc.HTTPClient.CloseIdleConnections)
	return rc
}

// finishNetHTTP checks the status of a response from a plain client, decodes it into out
// when out is not nil, and drains and closes the body, as a careful caller would.
func finishNetHTTP(b *testing.B, resp *http.Response, err error, want int, out any) {
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		b.Fatalf("status %d, expected %d", resp.StatusCode, want)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			b.Fatal(err)
		}
	}
	_, _ = io.Copy(io.Discard, resp.Body)
}

// measureCPU reports, as cpu-ns/op, the CPU time that the process (client and server together)
// used per iteration between its call and the end of the benchmark.
func measureCPU(b *testing.B) {
	start, ok := processCPUTime()
	if !ok {
		return
	}
	b.Cleanup(func() {
		end, _ := processCPUTime()
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	})
}

func BenchmarkGetSmallJSON(b *testing.B) {
	srv := benchServer(b)
	url := srv.URL + "/small"

	b.Run("Client", func(b *testing.B) {
		c := newBenchClient(b, srv)
		b.ReportAllocs()
		measureCPU(b)
		for b.Loop() {
			var n benchNote
			if err := c.GetJSON(b.Context(), "/small", &n); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("NetHTTP", func(b *testing.B) {
		hc := newNetHTTPClient(b)
		b.ReportAllocs()
		measureCPU(b)
		for b.Loop() {
			req, err := http.NewRequestWithContext(b.Context(), http.MethodGet, url, nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set(apiKeyHeader, testKey)
			req.Header.Set("Accept", "application/json")
			var n benchNote
			resp, err := hc.Do(req)
			finishNetHTTP(b, resp, err, http.StatusOK, &n)
		}
	})
	b.Run("RetryableHTTP", func(b *testing.B) {
		rc := newRetryableClient(b)
		b.ReportAllocs()
		measureCPU(b)
		for b.Loop() {
			req, err := retryablehttp.NewRequestWithContext(b.Context(), http.MethodGet, url,
				nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set(apiKeyHeader, testKey)
			req.Header.Set("Accept", "application/json")
			var n benchNote
			resp, err := rc.Do(req)
			finishNetHTTP(b, resp, err, http.StatusOK, &n)
		}
	})
}

func BenchmarkPost64KiB(b *testing.B) {
	srv := benchServer(b)
	payload := benchPayload[:64<<10]
	url := srv.URL + "/upload"

	b.Run("Client", func(b *testing.B) {
		c := newBenchClient(b, srv)
		b.ReportAllocs()
		measureCPU(b)
		b.SetBytes(int64(len(payload)))
		for b.Loop() {
			req, err := c.NewRequest(b.Context(), http.MethodPost, "/upload",
				bytes.NewReader(payload))
			if err != nil {
				b.Fatal(err)
			}
			resp, err := c.Do(req)
			finishNetHTTP(b, resp, err, http.StatusNoContent, nil)
		}
	})
	b.Run("NetHTTP", func(b *testing.B) {
		hc := newNetHTTPClient(b)
		b.ReportAllocs()
		measureCPU(b)
		b.SetBytes(int64(len(payload)))
		for b.Loop() {
			req, err := http.NewRequestWithContext(b.Context(), http.MethodPost, url,
				bytes.NewReader(payload))
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set(apiKeyHeader, testKey)
			resp, err := hc.Do(req)
			finishNetHTTP(b, resp, err, http.StatusNoContent, nil)
		}
	})
	b.Run("RetryableHTTP", func(b *testing.B) {
		rc := newRetryableClient(b)
		b.ReportAllocs()
		measureCPU(b)
		b.SetBytes(int64(len(payload)))
		for b.Loop() {
			req, err := retryablehttp.NewRequestWithContext(b.Context(), http.MethodPost, url,
				payload)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set(apiKeyHeader, testKey)
			resp, err := rc.Do(req)
			finishNetHTTP(b, resp, err, http.StatusNoContent, nil)
		}
	})
}

func BenchmarkGetBody(b *testing.B) {
	srv := benchServer(b)
	sizes := []struct {
		name string
		n    int
	}{
		{"1KiB", 1 << 10},
		{"16KiB", 16 << 10},
		{"256KiB", 256 << 10},
		{"4MiB", 4 << 20},
	}
	for _, size := range sizes {
		path := "/bytes?n=" + strconv.Itoa(size.n)
		b.Run(size.name+"/Client", func(b *testing.B) {
			c := newBenchClient(b, srv)
			b.ReportAllocs()
			measureCPU(b)
			b.SetBytes(int64(size.n))
			for b.Loop() {
				resp, err := c.Get(b.Context(), path)
				finishNetHTTP(b, resp, err, http.StatusOK, nil)
			}
		})
		b.Run(size.name+"/NetHTTP", func(b *testing.B) {
			hc := newNetHTTPClient(b)
			b.ReportAllocs()
			measureCPU(b)
			b.SetBytes(int64(size.n))
			for b.Loop() {
				req, err := http.NewRequestWithContext(b.Context(), http.MethodGet,
					srv.URL+path, nil)
				if err != nil {
					b.Fatal(err)
				}
				req.Header.Set(apiKeyHeader, testKey)
				resp, err := hc.Do(req)
				finishNetHTTP(b, resp, err, http.StatusOK, nil)
			}
		})
	}
}

// Each iteration of BenchmarkConcurrentCalls sends this many calls from this many goroutines,
// with a client built for the iteration, so every iteration starts without connections.
const (
	concurrentCalls      = 10_000
	concurrentGoroutines = 64
)

// runConcurrently makes concurrentCalls calls of call from concurrentGoroutines goroutines.
func runConcurrently(b *testing.B, call func(ctx context.Context) error) {
	var remaining atomic.Int64
	remaining.Store(concurrentCalls)
	var wg sync.WaitGroup
	var failed atomic.Value
	for range concurrentGoroutines {
		wg.Go(func() {
			for remaining.Add(-1) >= 0 {
				if err := call(b.Context()); err != nil {
					failed.Store(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err, ok := failed.Load().(error); ok {
		b.Fatal(err)
	}
}

// BenchmarkConcurrentCalls reports, besides the time of a batch of 10,000 calls, the
// connections the server accepted per batch (new-conns/op) and the time per call (ns/call).
func BenchmarkConcurrentCalls(b *testing.B) {
	srv := benchServer(b)
	url := srv.URL + "/small"

	b.Run("Client", func(b *testing.B) {
		b.ReportAllocs()
		measureCPU(b)
		before := benchConns.Load()
		for b.Loop() {
			c := newBenchClient(b, srv)
			runConcurrently(b, func(ctx context.Context) error {
				var n benchNote
				return c.GetJSON(ctx, "/small", &n)
			})
			c.CloseIdleConnections()
		}
		reportConcurrent(b, benchConns.Load()-before)
	})
	b.Run("NetHTTP", func(b *testing.B) {
		b.ReportAllocs()
		measureCPU(b)
		before := benchConns.Load()
		for b.Loop() {
			hc := newNetHTTPClient(b)
			runConcurrently(b, func(ctx context.Context) error {
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
				if err != nil {
					return err
				}
				req.Header.Set(apiKeyHeader, testKey)
				resp, err := hc.Do(req)
				if err != nil {
					return err
				}
				defer resp.Body.Close()
				var n benchNote
				return json.NewDecoder(resp.Body).Decode(&n)
			})
			hc.CloseIdleConnections()
		}
		reportConcurrent(b, benchConns.Load()-before)
	})
}

func reportConcurrent(b *testing.B, conns int64) {
	b.ReportMetric(float64(conns)/float64(b.N), "new-conns/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*concurrentCalls), "ns/call")
}
