package spacetest_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/spacetest"
)

func TestFailNext(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, micros3()...)
	app.FailNext("api", 2, http.StatusServiceUnavailable, 1500*time.Millisecond)
	c := app.Browser()

	for range 2 {
		resp := get(t, c, app, "/api/x")
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		assert.Equal(t, "2", resp.Header.Get("Retry-After"))
		assert.Equal(t, `{"error":"injected_fault","message":"503 Service Unavailable `+
			`injected by spacetest"}`+"\n", readAll(t, resp))
	}
	assert.Equal(t, "api", decode(t, get(t, c, app, "/api/x")).Micro)
	assert.Len(t, app.Requests("api"), 3, "faulted requests are recorded too")
	assert.Equal(t, "web", decode(t, get(t, c, app, "/x")).Micro, "other Micros are unaffected")
}

func TestFailNextWithoutRetryAfterAndCancel(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, micros3()...)
	c := app.Browser()
	app.FailNext("api", 5, http.StatusTooManyRequests, 0)
	resp := get(t, c, app, "/api")
	_ = readAll(t, resp)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Retry-After"))

	app.FailNext("api", 0, http.StatusTooManyRequests, 0)

	assert.Equal(t, "api", decode(t, get(t, c, app, "/api")).Micro)
}

func TestFailNextClientRetries(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		app := spacetest.New(t, micros3()...)
		app.FailNext("api", 2, http.StatusServiceUnavailable, time.Second)
		start := time.Now()

		var out seen
		err := app.Client("web").GetJSON(context.Background(), "/api/x", &out)

		require.NoError(t, err)
		assert.Equal(t, "api", out.Micro)
		assert.Equal(t, 2*time.Second, time.Since(start), "the client waits Retry-After twice")
		assert.Len(t, app.Requests("api"), 3)
	})
}

func TestFailNextClientGivesUp(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		app := spacetest.New(t, micros3()...)
		app.FailNext("api", 10, http.StatusInternalServerError, 0)

		var out seen
		err := app.Client("web", client.WithRetryMax(2)).GetJSON(context.Background(),
			"/api/x", &out)

		var clientErr *client.Error
		require.ErrorAs(t, err, &clientErr)
		assert.Equal(t, http.StatusInternalServerError, clientErr.StatusCode)
		assert.Equal(t, 3, clientErr.Attempts)
	})
}

func TestDropNext(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, micros3()...)
	app.DropNext("api", 1)
	c := app.Browser()

	_, err := c.Get(app.URL() + "/api/x")

	require.Error(t, err)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, "api", decode(t, get(t, c, app, "/api/x")).Micro)
	assert.Len(t, app.Requests("api"), 2)
}

func TestDropNextBeforeFailNext(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, micros3()...)
	app.FailNext("api", 1, http.StatusBadGateway, 0)
	app.DropNext("api", 1)
	c := app.Browser()

	_, err := c.Get(app.URL() + "/api")
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	resp := get(t, c, app, "/api")
	_ = readAll(t, resp)
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
}

func TestDropNextClientRetries(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		app := spacetest.New(t, micros3()...)
		app.DropNext("api", 2)
		var out seen
		require.NoError(t, app.Client("web").GetJSON(context.Background(), "/api/x", &out))
		assert.Equal(t, "api", out.Micro)
		assert.Len(t, app.Requests("api"), 3)
	})
}

func TestSetLatency(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		app := spacetest.New(t, micros3()...)
		app.SetLatency("api", 3*time.Second)
		c := app.Browser()
		start := time.Now()

		assert.Equal(t, "api", decode(t, get(t, c, app, "/api")).Micro)
		assert.Equal(t, 3*time.Second, time.Since(start))

		start = time.Now()
		assert.Equal(t, "web", decode(t, get(t, c, app, "/")).Micro)
		assert.Zero(t, time.Since(start), "other Micros are not delayed")

		app.SetLatency("api", 0)
		start = time.Now()
		_ = readAll(t, get(t, c, app, "/api"))
		assert.Zero(t, time.Since(start))
	})
}

func TestLatencyBeyondTimeoutGets504(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		app := spacetest.New(t, micros3()...)
		app.SetLatency("api", time.Minute)
		start := time.Now()

		resp := get(t, app.Browser(), app, "/api")

		assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
		assert.Equal(t, `{"error":"gateway_timeout","message":"the Micro did not answer `+
			`within 20s"}`+"\n", readAll(t, resp))
		assert.Equal(t, 20*time.Second, time.Since(start))
	})
}

func TestLatencyRespectsCancellation(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		app := spacetest.New(t, micros3()...)
		app.SetLatency("api", 10*time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, app.URL()+"/api", nil)
		require.NoError(t, err)
		start := time.Now()

		_, err = app.Browser().Do(req)

		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, time.Second, time.Since(start))
	})
}

func TestRequestTimeoutOption(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		app := spacetest.NewWithOptions(t, spacetest.Options{RequestTimeout: 3 * time.Second},
			spacetest.Micro{Name: "web", Handler: http.HandlerFunc(
				func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })})
		start := time.Now()

		resp := get(t, app.Browser(), app, "/")
		_ = readAll(t, resp)

		assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
		assert.Equal(t, 3*time.Second, time.Since(start))
	})
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, spacetest.Micro{Name: "api", Handler: http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			n, _ := io.Copy(io.Discard, r.Body)
			_, _ = io.WriteString(w, strconv.FormatInt(n, 10))
		})})
	tests := []struct {
		name   string
		size   int
		known  bool
		status int
	}{
		{"at 5.5 MiB", 5_767_168, true, http.StatusOK},
		{"above 5.5 MiB", 5_767_169, true, http.StatusRequestEntityTooLarge},
		{"streamed above 5.5 MiB", 5_767_169, false, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var body io.Reader = bytes.NewReader(make([]byte, tt.size))
			if !tt.known {
				body = io.MultiReader(body)
			}
			resp, err := app.Browser().Post(app.URL()+"/api/upload", "application/octet-stream",
				body)
			require.NoError(t, err)
			text := readAll(t, resp)
			assert.Equal(t, tt.status, resp.StatusCode)
			if tt.status == http.StatusOK {
				assert.Equal(t, strconv.Itoa(tt.size), text, "the handler read the whole body")
				return
			}
			assert.Equal(t, `{"error":"payload_too_large","message":"the request body `+
				`exceeds 5767168 bytes"}`+"\n", text)
		})
	}
}

func TestMaxBodyBytesOption(t *testing.T) {
	t.Parallel()
	app := spacetest.NewWithOptions(t, spacetest.Options{MaxBodyBytes: 4}, micros3()...)
	resp, err := app.Browser().Post(app.URL()+"/api", "text/plain", bytes.NewReader([]byte("12345")))
	require.NoError(t, err)
	_ = readAll(t, resp)
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	assert.Empty(t, app.Requests("api"), "the router answers before the Micro")
}

func TestFaultArgumentsAreChecked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		call    func(app *spacetest.App)
		message string
	}{
		{"fail status", func(app *spacetest.App) { app.FailNext("api", 1, 99, 0) },
			`spacetest: App.FailNext("api", 1, 99, 0s): n must be 0 or more, status from ` +
				`200 to 599, retryAfter 0 or more`},
		{"fail count", func(app *spacetest.App) { app.FailNext("api", -1, 500, 0) },
			`spacetest: App.FailNext("api", -1, 500, 0s): n must be 0 or more, status from ` +
				`200 to 599, retryAfter 0 or more`},
		{"drop count", func(app *spacetest.App) { app.DropNext("api", -2) },
			`spacetest: App.DropNext("api", -2): n must be 0 or more`},
		{"latency", func(app *spacetest.App) { app.SetLatency("api", -time.Second) },
			`spacetest: App.SetLatency("api", -1s): d must be 0 or more`},
		{"unknown micro", func(app *spacetest.App) { app.DropNext("nope", 1) },
			`spacetest: App.DropNext("nope"): no such Micro: the app has "web", "api", "v1api"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msg := fatalOf(t, func(tb testing.TB) { tt.call(spacetest.New(tb, micros3()...)) })
			assert.Equal(t, tt.message, msg)
		})
	}
}
