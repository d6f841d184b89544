package spacetest_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacetest"
)

func TestRequestsAfterCleanupFail(t *testing.T) {
	t.Parallel()
	var c *http.Client
	var url string
	t.Run("app", func(t *testing.T) {
		app := spacetest.New(t, micros3()...)
		c, url = app.Browser(), app.URL()
		_ = readAll(t, get(t, c, app, "/"))
	})

	_, err := c.Get(url + "/")

	require.Error(t, err)
	assert.Contains(t, err.Error(), "spacetest: the App was cleaned up at the end of its test")
}

func TestCleanupEndsRequestsUnderWay(t *testing.T) {
	t.Parallel()
	var body io.ReadCloser
	handlerErr := make(chan error, 1)
	t.Run("app", func(t *testing.T) {
		app := spacetest.New(t, spacetest.Micro{Name: "web", Public: true,
			Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.(http.Flusher).Flush()
				<-r.Context().Done()
				handlerErr <- r.Context().Err()
			})})
		resp := get(t, app.HTTPClient(), app, "/")
		body = resp.Body // left open on purpose
	})

	assert.ErrorIs(t, <-handlerErr, context.Canceled)
	_, err := io.ReadAll(body)
	assert.ErrorContains(t, err, "cleaned up")
	require.NoError(t, body.Close())
}

func TestCleanupEndsRoundTripWaitingForHandler(t *testing.T) {
	t.Parallel()
	started := make(chan struct{})
	clientErr := make(chan error, 1)
	t.Run("app", func(t *testing.T) {
		app := spacetest.New(t, spacetest.Micro{Name: "web", Public: true,
			Handler: http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				close(started)
				<-r.Context().Done()
			})})
		c := app.HTTPClient()
		go func() {
			_, err := c.Get(app.URL() + "/")
			clientErr <- err
		}()
		<-started
	})

	err := <-clientErr
	require.Error(t, err)
	assert.Contains(t, err.Error(), "spacetest: the App was cleaned up at the end of its test")
}

func TestCleanupReportsHandlerIgnoringContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		fake := &fakeT{TB: t}
		t.Cleanup(func() {
			close(release)
			assert.Equal(t, []string{`spacetest: handlers of Micro "web" still running 10s ` +
				`after the test ended: a handler must return once its request's context is ` +
				`done`}, fake.errored)
		})
		app := spacetest.New(fake, spacetest.Micro{Name: "web", Public: true,
			Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release })})

		resp := get(t, app.HTTPClient(), app, "/")
		_ = readAll(t, resp)

		assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
	})
}

func TestHandlerPanicFailsTest(t *testing.T) {
	t.Parallel()
	fake := &fakeT{TB: t}
	app := spacetest.New(fake, spacetest.Micro{Name: "web", Public: true,
		Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })})

	_, err := app.HTTPClient().Get(app.URL() + "/")

	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	fake.mu.Lock()
	defer fake.mu.Unlock()
	require.Len(t, fake.errored, 1)
	assert.True(t, strings.HasPrefix(fake.errored[0], "spacetest: a handler panicked: boom\n"),
		fake.errored[0])
}
