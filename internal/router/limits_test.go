package router_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/internal/router"
)

// limitedRouter returns a router with one primary Micro served by h, authentication off and
// the given limits.
func limitedRouter(t testing.TB, h http.Handler, timeout time.Duration,
	maxBody int64) *router.Router {
	t.Helper()
	r, err := router.New(router.Options{
		Micros:         []router.Micro{{Name: "web", Handler: h}},
		NoAuth:         true,
		RequestTimeout: timeout,
		MaxBodyBytes:   maxBody,
	})
	require.NoError(t, err)
	return r
}

// tooLarge10 is the router's 413 body for a body limit of 10 bytes.
const tooLarge10 = `{"error":"payload_too_large","message":"the request body exceeds ` +
	`10 bytes"}` + "\n"

func TestBodyLimitByContentLength(t *testing.T) {
	t.Parallel()
	var called atomic.Bool
	r := limitedRouter(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		called.Store(true)
	}), 0, 10)

	rec := serve(r, httptest.NewRequest(http.MethodPost, "/", strings.NewReader("12345678901")))

	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	assert.Equal(t, tooLarge10, rec.Body.String())
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	assert.False(t, called.Load(), "the handler must not run")
}

func TestBodyLimitWhileStreaming(t *testing.T) {
	t.Parallel()
	var readErr, writeErr error
	r := limitedRouter(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, readErr = io.ReadAll(r.Body)
		w.Header().Set("X-Handler", "1")
		w.WriteHeader(http.StatusBadRequest)
		_, writeErr = w.Write([]byte("handler's answer"))
	}), 0, 10)
	req := httptest.NewRequest(http.MethodPost, "/", io.NopCloser(strings.NewReader("12345678901")))
	req.ContentLength = -1

	rec := serve(r, req)

	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	assert.Equal(t, tooLarge10, rec.Body.String())
	assert.Empty(t, rec.Header().Get("X-Handler"))
	var maxBytes *http.MaxBytesError
	require.ErrorAs(t, readErr, &maxBytes)
	assert.Equal(t, int64(10), maxBytes.Limit)
	require.ErrorAs(t, writeErr, &maxBytes)
}

func TestBodyLimitHandlerThatSendsNothing(t *testing.T) {
	t.Parallel()
	r := limitedRouter(t, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}), 0, 10)
	req := httptest.NewRequest(http.MethodPost, "/", io.NopCloser(strings.NewReader("12345678901")))
	req.ContentLength = -1

	assert.Equal(t, http.StatusRequestEntityTooLarge, serve(r, req).Code)
}

func TestBodyLimitDefault(t *testing.T) {
	t.Parallel()
	assert.Equal(t, int64(5_767_168), router.DefaultMaxBodyBytes)
	r := limitedRouter(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, strconv.FormatInt(n, 10))
	}), 0, 0)
	tests := []struct {
		name   string
		size   int
		length int64
		status int
	}{
		{"at the limit", 5_767_168, 5_767_168, http.StatusOK},
		{"one byte above", 5_767_169, 5_767_169, http.StatusRequestEntityTooLarge},
		{"streamed at the limit", 5_767_168, -1, http.StatusOK},
		{"streamed one byte above", 5_767_169, -1, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodPost, "/",
				io.NopCloser(bytes.NewReader(make([]byte, tt.size))))
			req.ContentLength = tt.length
			rec := serve(r, req)
			assert.Equal(t, tt.status, rec.Code)
			if tt.status == http.StatusOK {
				assert.Equal(t, strconv.Itoa(tt.size), rec.Body.String())
			}
		})
	}
}

func TestTimeoutDefault(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var writeErr error
		r := limitedRouter(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
			w.Header().Set("X-Handler", "1")
			_, writeErr = w.Write([]byte("late"))
		}), 0, 0)
		start := time.Now()

		rec := serve(r, httptest.NewRequest(http.MethodGet, "/", nil))

		assert.Equal(t, 20*time.Second, time.Since(start))
		assert.Equal(t, http.StatusGatewayTimeout, rec.Code)
		assert.Equal(t, `{"error":"gateway_timeout","message":"the Micro did not answer `+
			`within 20s"}`+"\n", rec.Body.String())
		assert.Equal(t, "close", rec.Header().Get("Connection"))
		assert.Empty(t, rec.Header().Get("X-Handler"))
		assert.ErrorIs(t, writeErr, http.ErrHandlerTimeout)
	})
}

func TestTimeoutHandlerThatIgnoresContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		r := limitedRouter(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			<-release
			w.WriteHeader(http.StatusOK)
		}), 5*time.Second, 0)
		rec := httptest.NewRecorder()
		done := make(chan struct{})
		go func() {
			defer close(done)
			r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		}()

		time.Sleep(5 * time.Second)
		synctest.Wait()

		assert.Equal(t, http.StatusGatewayTimeout, rec.Code, "504 must not wait for the handler")
		assert.True(t, rec.Flushed)
		close(release)
		<-done
		assert.Equal(t, http.StatusGatewayTimeout, rec.Code)
	})
}

func TestTimeoutAfterResponseStartedAborts(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var writeErr error
		r := limitedRouter(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("start"))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
			_, writeErr = w.Write([]byte("late"))
		}), time.Second, 0)
		rec := httptest.NewRecorder()

		assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
			r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		})
		assert.Equal(t, "start", rec.Body.String())
		assert.ErrorIs(t, writeErr, http.ErrHandlerTimeout)
	})
}

func TestTimeoutNotReachedKeepsResponse(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := limitedRouter(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			time.Sleep(19 * time.Second)
			w.WriteHeader(http.StatusCreated)
		}), 0, 0)
		rec := serve(r, httptest.NewRequest(http.MethodGet, "/", nil))
		assert.Equal(t, http.StatusCreated, rec.Code)
	})
}

func TestClientCancelIsNoTimeout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := limitedRouter(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
			assert.ErrorIs(t, r.Context().Err(), context.Canceled)
			w.WriteHeader(http.StatusTeapot)
		}), 0, 0)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Second, cancel)

		rec := serve(r, httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx))

		assert.Equal(t, http.StatusTeapot, rec.Code)
	})
}

func TestHijackIsRefused(t *testing.T) {
	t.Parallel()
	var err error
	r := limitedRouter(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _, err = http.NewResponseController(w).Hijack()
	}), 0, 0)
	serve(r, httptest.NewRequest(http.MethodGet, "/", nil))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no websockets")
}

func TestInformationalStatusDropped(t *testing.T) {
	t.Parallel()
	r := limitedRouter(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusEarlyHints)
		w.WriteHeader(http.StatusAccepted)
	}), 0, 0)
	assert.Equal(t, http.StatusAccepted, serve(r, httptest.NewRequest(http.MethodGet, "/", nil)).Code)
}

func TestTrailersPassedOn(t *testing.T) {
	t.Parallel()
	r := limitedRouter(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Trailer", "X-Sum")
		_, _ = w.Write([]byte("body"))
		w.Header().Set("X-Sum", "42")
		w.Header().Set(http.TrailerPrefix+"X-Late", "7")
	}), 0, 0)
	rec := serve(r, httptest.NewRequest(http.MethodGet, "/", nil))
	res := rec.Result()
	_, _ = io.ReadAll(res.Body)
	assert.Equal(t, "42", res.Trailer.Get("X-Sum"))
	assert.Equal(t, "7", res.Trailer.Get("X-Late"))
}
