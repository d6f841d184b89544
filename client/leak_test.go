package client

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestNoLeaksAfterFailingCalls compares goroutines with a baseline, so it cannot run in
// parallel with other tests.
func TestNoLeaksAfterFailingCalls(t *testing.T) {
	tests := []struct {
		name         string
		call         func(t *testing.T, c *Client)
		wantRequests int
	}{
		{
			name: "Get",
			call: func(t *testing.T, c *Client) {
				resp, err := c.Get(t.Context(), "/x")
				require.NoError(t, err)
				assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
				readAndClose(t, resp)
			},
			wantRequests: 150,
		},
		{
			name: "GetJSON",
			call: func(t *testing.T, c *Client) {
				err := c.GetJSON(t.Context(), "/x", new(any))
				assert.Equal(t, http.StatusServiceUnavailable, requireError(t, err).StatusCode)
			},
			wantRequests: 150,
		},
		{
			name: "PostJSON",
			call: func(t *testing.T, c *Client) {
				err := c.PostJSON(t.Context(), "/x", note{Title: "x"}, new(note))
				assert.Equal(t, http.StatusServiceUnavailable, requireError(t, err).StatusCode)
			},
			wantRequests: 50,
		},
		{
			name: "Do with Idempotency-Key",
			call: func(t *testing.T, c *Client) {
				req, err := c.NewRequest(t.Context(), http.MethodPost, "/x",
					strings.NewReader(`{"title":"x"}`))
				require.NoError(t, err)
				req.Header.Set("Idempotency-Key", "note-x")
				resp, err := c.Do(req)
				require.NoError(t, err)
				assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
				readAndClose(t, resp)
			},
			wantRequests: 150,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			baseline := goleak.IgnoreCurrent()
			srv := newTestServer(t, always(http.StatusServiceUnavailable, "busy"))
			c := newTestClient(t, srv.URL, WithRetryMax(2))

			for range 50 {
				tt.call(t, c)
			}

			assert.Equal(t, tt.wantRequests, srv.Count())
			assert.Equal(t, int64(1), srv.opened.Load(), "every attempt must reuse one connection")
			c.CloseIdleConnections()
			require.Eventually(t, func() bool { return srv.opened.Load() == srv.closed.Load() },
				5*time.Second, 5*time.Millisecond, "connections still open")
			srv.Close()
			goleak.VerifyNone(t, baseline)
		})
	}
}

func TestDiscardedBodyDrainIsBounded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		size      int
		wantConns int64
	}{
		{name: "at the bound", size: drainLimit, wantConns: 1},
		{name: "past the bound", size: drainLimit + 1, wantConns: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := strings.Repeat("x", tt.size)
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = io.WriteString(w, body)
			})
			c := newTestClient(t, srv.URL, WithRetryMax(2))

			resp, err := c.Get(t.Context(), "/x")

			require.NoError(t, err)
			assert.Equal(t, body, readAndClose(t, resp), "the final body is returned whole")
			assert.Equal(t, 3, srv.Count())
			assert.Equal(t, tt.wantConns, srv.opened.Load(),
				"a drained body frees its connection, and a longer one is closed unread")
		})
	}
}

func TestConcurrentCalls(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]bool{}
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		mu.Lock()
		first := !seen[id]
		seen[id] = true
		mu.Unlock()
		if first {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		_, _ = fmt.Fprintf(w, `{"id":%s,"title":"t"}`, id)
	})
	c := newTestClient(t, srv.URL, WithRateLimit(1e6, 100), WithRetryMax(1))
	const goroutines, calls = 16, 20

	var wg sync.WaitGroup
	errs := make(chan error, goroutines*calls)
	for g := range goroutines {
		wg.Go(func() {
			for i := range calls {
				id := g*calls + i
				var n note
				err := c.GetJSON(t.Context(), fmt.Sprintf("/api/notes?id=%d", id), &n)
				if err == nil && n.ID != id {
					err = fmt.Errorf("note %d returned for id %d", n.ID, id)
				}
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)

	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 2*goroutines*calls, srv.Count(), "each call fails once and is retried once")
}
