package spacetest_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacetest"
)

func TestRequestsRecordsWhatMicroReceived(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, micros3()...)
	req, err := http.NewRequest(http.MethodPost, app.URL()+"/api/files/a%2Fb?x=1",
		strings.NewReader("payload"))
	require.NoError(t, err)
	req.Header.Set("X-API-Key", app.Env("web").APIKey.Reveal())
	req.Header.Set("X-Space-App-Key", "app-secret")
	req.Header.Set("Authorization", "Bearer token-secret")
	req.Header.Set("X-Custom", "kept")
	resp, err := app.Browser().Do(req)
	require.NoError(t, err)
	_ = readAll(t, resp)

	got := app.Requests("api")

	require.Len(t, got, 1)
	r := got[0]
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/files/a/b", r.URL.Path)
	assert.Equal(t, "/files/a%2Fb", r.URL.EscapedPath())
	assert.Equal(t, "x=1", r.URL.RawQuery)
	assert.Empty(t, r.URL.Host)
	assert.Equal(t, "payload", string(r.Body))
	assert.False(t, r.Truncated)
	for _, name := range []string{"X-Api-Key", "X-Space-App-Key", "Authorization", "Cookie"} {
		assert.Equal(t, []string{"[REDACTED]"}, r.Header[name], name)
	}
	assert.Equal(t, "kept", r.Header.Get("X-Custom"))
	assert.Equal(t, "/api", r.Header.Get("X-Forwarded-Prefix"))
	assert.Empty(t, app.Requests("web"))
	assert.Empty(t, app.Requests("v1api"))
}

func TestRequestsSkipsRejectedRequests(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, micros3()...)
	resp := get(t, app.HTTPClient(), app, "/api/x")
	_ = readAll(t, resp)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Empty(t, app.Requests("api"))
}

func TestRequestsKeepOrderUnderConcurrency(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, micros3()...)
	c := app.Browser()
	const n = 50
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			resp, err := c.Get(fmt.Sprintf("%s/api/item/%d", app.URL(), i))
			if assert.NoError(t, err) {
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			}
		})
	}
	wg.Wait()
	seenPaths := make(map[string]bool)
	for _, r := range app.Requests("api") {
		seenPaths[r.URL.Path] = true
	}
	assert.Len(t, seenPaths, n)

	for i := range 3 {
		_ = readAll(t, get(t, c, app, fmt.Sprintf("/v1/api/%d", i)))
	}
	var paths []string
	for _, r := range app.Requests("v1api") {
		paths = append(paths, r.URL.Path)
	}
	assert.Equal(t, []string{"/0", "/1", "/2"}, paths)
}

// TestRequestsKeepArrivalOrderWhileInFlight sends each request once the one before has reached
// the handler, with all of them in flight, and lets them finish in reverse order: the list
// follows their arrival, not their completion.
func TestRequestsKeepArrivalOrderWhileInFlight(t *testing.T) {
	t.Parallel()
	const n = 5
	arrived := make(chan struct{})
	release := make([]chan struct{}, n)
	for i := range release {
		release[i] = make(chan struct{})
	}
	app := spacetest.New(t, spacetest.Micro{Name: "api", Handler: http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			var i int
			if _, err := fmt.Sscanf(r.URL.Path, "/item/%d", &i); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			arrived <- struct{}{}
			select {
			case <-release[i]:
			case <-r.Context().Done():
			}
			_, _ = fmt.Fprint(w, i)
		})})
	c := app.Browser()

	done := make([]chan string, n)
	for i := range n {
		done[i] = make(chan string, 1)
		go func() {
			resp, err := c.Post(fmt.Sprintf("%s/item/%d", app.URL(), i), "text/plain",
				strings.NewReader(fmt.Sprintf("body %d", i)))
			if err != nil {
				done[i] <- err.Error()
				return
			}
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			done[i] <- string(body)
		}()
		<-arrived
	}
	for i := n - 1; i >= 0; i-- {
		close(release[i])
		assert.Equal(t, fmt.Sprint(i), <-done[i])
	}

	got := app.Requests("api")
	require.Len(t, got, n)
	for i, r := range got {
		assert.Equal(t, fmt.Sprintf("/item/%d", i), r.URL.Path)
		assert.Equal(t, fmt.Sprintf("body %d", i), string(r.Body), "the body stays with its request")
	}
}

func TestRequestsBoundBodyButHandlerReadsAll(t *testing.T) {
	t.Parallel()
	var read int
	app := spacetest.New(t, spacetest.Micro{Name: "web", Handler: http.HandlerFunc(
		func(_ http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			read = len(body)
		})})
	body := bytes.Repeat([]byte("x"), spacetest.MaxRecordedBodyBytes+1000)

	resp, err := app.Browser().Post(app.URL()+"/upload", "text/plain", bytes.NewReader(body))
	require.NoError(t, err)
	_ = readAll(t, resp)

	assert.Equal(t, len(body), read)
	got := app.Requests("web")
	require.Len(t, got, 1)
	assert.Len(t, got[0].Body, spacetest.MaxRecordedBodyBytes)
	assert.Equal(t, 64*1024, spacetest.MaxRecordedBodyBytes)
	assert.True(t, got[0].Truncated)
}

func TestRequestsRecordUnreadBodyOfKnownLength(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, spacetest.Micro{Name: "web", Handler: http.HandlerFunc(
		func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusAccepted) })})

	resp, err := app.Browser().Post(app.URL()+"/", "text/plain", strings.NewReader("unread"))
	require.NoError(t, err)
	_ = readAll(t, resp)

	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, "unread", string(app.Requests("web")[0].Body))
}

func TestRequestsReturnsCopies(t *testing.T) {
	t.Parallel()
	app := spacetest.New(t, micros3()...)
	_ = readAll(t, get(t, app.Browser(), app, "/x"))
	first := app.Requests("web")
	first[0].URL.Path = "/changed"
	first[0].Header.Set("X-Forwarded-Proto", "changed")
	assert.Equal(t, "/x", app.Requests("web")[0].URL.Path)
	assert.Equal(t, "http", app.Requests("web")[0].Header.Get("X-Forwarded-Proto"))
}

func TestRequestsKeepsLatest(t *testing.T) {
	t.Parallel()
	app := spacetest.NewWithOptions(t, spacetest.Options{MaxRecordedRequests: 3}, micros3()...)
	c := app.Browser()
	for i := range 8 {
		_ = readAll(t, get(t, c, app, fmt.Sprintf("/x/%d", i)))
		var paths []string
		for _, r := range app.Requests("web") {
			paths = append(paths, r.URL.Path)
		}
		want := []string{}
		for j := max(0, i-2); j <= i; j++ {
			want = append(want, fmt.Sprintf("/x/%d", j))
		}
		assert.Equal(t, want, paths)
	}
	assert.Equal(t, 10_000, spacetest.DefaultMaxRecordedRequests)
}

func TestMaxRecordedRequestsNegative(t *testing.T) {
	t.Parallel()
	msg := fatalOf(t, func(tb testing.TB) {
		spacetest.NewWithOptions(tb, spacetest.Options{MaxRecordedRequests: -1}, micros3()...)
	})
	assert.Equal(t, "spacetest: invalid app: MaxRecordedRequests is -1: use a positive "+
		"number, or 0 for the default 10000", msg)
}
