package spacetest_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacetest"
)

// handlerApp returns an app of one public Micro served by h.
func handlerApp(t *testing.T, h http.HandlerFunc) *spacetest.App {
	t.Helper()
	return spacetest.New(t, spacetest.Micro{Name: "web", Handler: h, Public: true})
}

func TestTransportStreamsWithoutDeadlock(t *testing.T) {
	t.Parallel()
	next := make(chan string)
	app := handlerApp(t, func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush()
		for line := range next {
			_, _ = io.WriteString(w, line+"\n")
			w.(http.Flusher).Flush()
		}
	})
	resp := get(t, app.HTTPClient(), app, "/events")
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)

	for _, want := range []string{"one", "two", "three"} {
		next <- want
		require.True(t, lines.Scan())
		assert.Equal(t, want, lines.Text())
	}
	close(next)
	assert.False(t, lines.Scan())
	assert.NoError(t, lines.Err())
	assert.Equal(t, int64(-1), resp.ContentLength)
}

func TestTransportStreamsLargeBodyWithoutFlush(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	app := handlerApp(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("a", 5000)))
		<-release
		_, _ = w.Write([]byte("end"))
	})
	resp := get(t, app.HTTPClient(), app, "/")
	defer resp.Body.Close()

	start := make([]byte, 5000)
	_, err := io.ReadFull(resp.Body, start)
	require.NoError(t, err, "the start of a large body arrives while the handler waits")
	close(release)
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "end", string(rest))
}

func TestTransportBufferedResponse(t *testing.T) {
	t.Parallel()
	app := handlerApp(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Answer", "42")
		_, _ = io.WriteString(w, "<html><body>hi</body></html>")
		w.Header().Set("X-Late", "ignored")
	})
	resp := get(t, app.HTTPClient(), app, "/")
	body := readAll(t, resp)

	assert.Equal(t, "<html><body>hi</body></html>", body)
	assert.Equal(t, "200 OK", resp.Status)
	assert.Equal(t, "HTTP/1.1", resp.Proto)
	assert.Equal(t, int64(len(body)), resp.ContentLength)
	assert.Equal(t, "28", resp.Header.Get("Content-Length"))
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "42", resp.Header.Get("X-Answer"))
	assert.Empty(t, resp.Header.Get("X-Late"))
	assert.NotNil(t, resp.Request)
}

func TestTransportStatusesWithoutBody(t *testing.T) {
	t.Parallel()
	var writeErr error
	app := handlerApp(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
		_, writeErr = w.Write([]byte("x"))
	})
	resp := get(t, app.HTTPClient(), app, "/")
	assert.Equal(t, "", readAll(t, resp))
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.ErrorIs(t, writeErr, http.ErrBodyNotAllowed)

	head, err := app.HTTPClient().Head(app.URL() + "/")
	require.NoError(t, err)
	assert.Equal(t, "", readAll(t, head))
}

func TestTransportHeadDiscardsBody(t *testing.T) {
	t.Parallel()
	app := handlerApp(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "5")
		_, _ = w.Write([]byte("hello"))
	})
	resp, err := app.HTTPClient().Head(app.URL() + "/")
	require.NoError(t, err)
	assert.Equal(t, "", readAll(t, resp))
	assert.Equal(t, "5", resp.Header.Get("Content-Length"))
}

func TestTransportContentLengthMismatch(t *testing.T) {
	t.Parallel()
	var writeErr error
	app := spacetest.New(t,
		spacetest.Micro{Name: "long", Public: true, Handler: http.HandlerFunc(
			func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "3")
				_, writeErr = w.Write([]byte("four"))
			})},
		spacetest.Micro{Name: "short", Primary: true, Public: true, Handler: http.HandlerFunc(
			func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "10")
				_, _ = w.Write([]byte("four"))
			})})

	resp := get(t, app.HTTPClient(), app, "/long")
	_, err := io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())
	assert.ErrorIs(t, writeErr, http.ErrContentLength)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "the declared 3 bytes never came")

	resp = get(t, app.HTTPClient(), app, "/")
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	assert.Equal(t, "four", string(body))
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

func TestTransportAbortHandler(t *testing.T) {
	t.Parallel()
	app := handlerApp(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/late" {
			_, _ = w.Write([]byte("partial"))
			w.(http.Flusher).Flush()
		}
		panic(http.ErrAbortHandler)
	})

	_, err := app.HTTPClient().Get(app.URL() + "/early")
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)

	resp := get(t, app.HTTPClient(), app, "/late")
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	assert.Equal(t, "partial", string(body))
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

func TestTransportCancelPropagates(t *testing.T) {
	t.Parallel()
	handlerErr := make(chan error, 1)
	app := handlerApp(t, func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
		handlerErr <- r.Context().Err()
	})
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, app.URL()+"/", nil)
	require.NoError(t, err)
	go cancel()

	_, err = app.HTTPClient().Do(req)

	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, <-handlerErr, context.Canceled)
}

func TestTransportBodyCloseCancelsHandler(t *testing.T) {
	t.Parallel()
	handlerErr := make(chan error, 1)
	app := handlerApp(t, func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush()
		<-r.Context().Done()
		handlerErr <- r.Context().Err()
	})
	resp := get(t, app.HTTPClient(), app, "/")
	require.NoError(t, resp.Body.Close())
	assert.ErrorIs(t, <-handlerErr, context.Canceled)
}

func TestTransportWriteAfterBodyClosedFails(t *testing.T) {
	t.Parallel()
	closed := make(chan struct{})
	writeErr := make(chan error, 1)
	app := handlerApp(t, func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush()
		<-closed
		_, err := w.Write([]byte("too late"))
		writeErr <- err
	})
	resp := get(t, app.HTTPClient(), app, "/")
	require.NoError(t, resp.Body.Close())
	close(closed)
	assert.Error(t, <-writeErr)
}

func TestTransportRejectsOtherHosts(t *testing.T) {
	t.Parallel()
	app := handlerApp(t, func(http.ResponseWriter, *http.Request) {})
	c := app.HTTPClient()
	_, err := c.Get("http://example.com/")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `spacetest: host "example.com": the in-process transport `+
		`serves only the app's host "app.spacetest.localhost"`)
	_, err = c.Get("https://app.spacetest.localhost/")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `spacetest: scheme "https": the in-process transport `+
		`serves http://app.spacetest.localhost`)
	resp, err := c.Get("http://app.spacetest.localhost:80/")
	require.NoError(t, err)
	_ = readAll(t, resp)
}

func TestTransportClosesRequestBody(t *testing.T) {
	t.Parallel()
	app := handlerApp(t, func(http.ResponseWriter, *http.Request) {})
	body := &closeRecorder{Reader: strings.NewReader("x")}
	resp, err := app.HTTPClient().Post(app.URL()+"/", "text/plain", body)
	require.NoError(t, err)
	_ = readAll(t, resp)
	assert.True(t, body.closed)

	body = &closeRecorder{Reader: strings.NewReader("x")}
	_, err = app.HTTPClient().Post("http://other.example/", "text/plain", body)
	require.Error(t, err)
	assert.True(t, body.closed, "closed on errors too")
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error {
	c.closed = true
	return nil
}

func TestTransportTrailers(t *testing.T) {
	t.Parallel()
	app := handlerApp(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "X-Checksum")
		_, _ = w.Write([]byte("data"))
		if r.URL.Path == "/stream" {
			w.(http.Flusher).Flush()
		}
		w.Header().Set("X-Checksum", "abc")
	})
	for _, path := range []string{"/buffered", "/stream"} {
		resp := get(t, app.HTTPClient(), app, path)
		assert.Equal(t, "data", readAll(t, resp), path)
		assert.Equal(t, "abc", resp.Trailer.Get("X-Checksum"), path)
		assert.Empty(t, resp.Header.Get("Trailer"), path)
		assert.Empty(t, resp.Header.Get("X-Checksum"), path)
	}
}

func TestTransportHandlerSeesServerRequest(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, micros3()...)
	req, err := http.NewRequest(http.MethodPost, app.URL()+"/api/x?q=1",
		io.NopCloser(strings.NewReader("streamed")))
	require.NoError(t, err)
	req.Header["x-lower-case"] = []string{"v"}

	resp, err := app.Browser().Do(req)
	require.NoError(t, err)
	s := decode(t, resp)

	assert.Equal(t, "streamed", s.Body)
	assert.Equal(t, []string{"v"}, s.Header["X-Lower-Case"], "names arrive canonical")
	assert.Equal(t, spacetest.Hostname, s.Host)
}

func TestTransportInsideSynctest(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		app := spacetest.NewWithOptions(t, spacetest.Options{RequestTimeout: 2 * time.Hour},
			spacetest.Micro{Name: "web", Public: true, Handler: http.HandlerFunc(
				func(w http.ResponseWriter, r *http.Request) {
					time.Sleep(time.Hour)
					_, _ = w.Write([]byte("late"))
				})})
		start := time.Now()
		assert.Equal(t, "late", readAll(t, get(t, app.HTTPClient(), app, "/")))
		assert.Equal(t, time.Hour, time.Since(start))
	})
}
