package middleware_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/middleware"
)

func TestRecoverPanicBecomes500(t *testing.T) {
	t.Parallel()
	logger, logs := newLogger()
	h := middleware.Chain(middleware.RequestID, middleware.Recover(logger)).ThenFunc(
		func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Partial", "yes")
			panic("boom")
		})
	r := httptest.NewRequest(http.MethodGet, "/items/7", nil)
	r.Header.Set("X-Request-ID", "req-9")

	w := serve(h, r)
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Equal(t, map[string]string{"error": "internal_error",
		"message": "internal server error"}, errorJSON(t, w.Body.Bytes()))

	records := logs.lines(t)
	require.Len(t, records, 1)
	assert.Equal(t, "handler panicked", records[0]["msg"])
	assert.Equal(t, "ERROR", records[0]["level"])
	assert.Equal(t, "boom", records[0]["panic"])
	assert.Equal(t, "req-9", records[0]["request_id"])
	assert.Equal(t, "GET", records[0]["method"])
	assert.Equal(t, "/items/7", records[0]["path"])
	assert.Equal(t, false, records[0]["response_started"])
	assert.Contains(t, records[0]["stack"], "recover_test.go")
}

func TestRecoverHeadHasNoBody(t *testing.T) {
	t.Parallel()
	h := middleware.Recover(nil)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))
	w := serve(h, httptest.NewRequest(http.MethodHead, "/", nil))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Empty(t, w.Body.Bytes())
}

func TestRecoverAfterResponseStartedAborts(t *testing.T) {
	t.Parallel()
	logger, logs := newLogger()
	h := middleware.Recover(logger)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("partial"))
		panic("late")
	}))

	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	})
	records := logs.lines(t)
	require.Len(t, records, 1)
	assert.Equal(t, true, records[0]["response_started"])
}

func TestRecoverAbortOverRealServer(t *testing.T) {
	t.Parallel()
	h := middleware.Recover(nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.Write([]byte("partial"))
		w.(http.Flusher).Flush()
		panic("late")
	}))
	server := httptest.NewServer(h)
	defer server.Close()

	resp, err := server.Client().Get(server.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	assert.Error(t, err, "the client must see a truncated body, not a complete response")
}

func TestRecoverPassesErrAbortHandler(t *testing.T) {
	t.Parallel()
	logger, logs := newLogger()
	h := middleware.Recover(logger)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic(http.ErrAbortHandler)
	}))
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	})
	assert.Empty(t, logs.String())
}

func TestRecoverWithoutPanic(t *testing.T) {
	t.Parallel()
	h := middleware.Recover(nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		http.NewResponseController(w).Flush()
	}))
	w := serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, http.StatusTeapot, w.Code)
	assert.True(t, w.Flushed)
}

func TestRecoverInformationalResponse(t *testing.T) {
	t.Parallel()
	h := middleware.Recover(nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusEarlyHints)
		panic("after 103")
	}))
	server := httptest.NewServer(h)
	defer server.Close()

	resp, err := server.Client().Get(server.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
}
