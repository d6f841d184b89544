package router_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/internal/router"
)

func actionMicros() []router.Micro {
	return []router.Micro{
		{Name: "web", Primary: true, Handler: echo("web"), Actions: []string{"digest"}},
		{Name: "api", Handler: echo("api"), Actions: []string{"cleanup", "sync"}},
		{Name: "hooks", Handler: echo("hooks"), PublicRoutes: []string{router.ActionsPath}},
		{Name: "open", Handler: echo("open"), Public: true},
	}
}

func TestTriggerPostsEventToDeclaringMicro(t *testing.T) {
	t.Parallel()
	r := newAuthRouter(t, newSessions(t), actionMicros()...)
	tests := []struct{ id, micro string }{{"digest", "web"}, {"cleanup", "api"}, {"sync", "api"}}
	for _, tt := range tests {
		resp, err := r.Trigger(context.Background(), tt.id)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		s := decodeBody(t, resp)
		assert.Equal(t, tt.micro, s.Micro)
		assert.Equal(t, http.MethodPost, s.Method)
		assert.Equal(t, router.ActionsPath, s.Path)
		assert.Equal(t, `{"event":{"id":"`+tt.id+`","trigger":"schedule"}}`, s.Body)
		assert.Equal(t, []string{"application/json"}, s.Header["Content-Type"])
	}
}

func TestTriggerUnknownAction(t *testing.T) {
	t.Parallel()
	r := newRouter(t, actionMicros()...)
	resp, err := r.Trigger(context.Background(), "nope")
	assert.Nil(t, resp)
	require.ErrorIs(t, err, router.ErrUnknownAction)
	assert.EqualError(t, err, `router: Trigger("nope"): unknown action: declare the id in a `+
		`Micro's Actions`)
}

func TestTriggerAbortedHandler(t *testing.T) {
	t.Parallel()
	r := newRouter(t, router.Micro{Name: "web", Actions: []string{"boom"},
		Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
			panic(http.ErrAbortHandler)
		})})
	resp, err := r.Trigger(context.Background(), "boom")
	assert.Nil(t, resp)
	require.ErrorIs(t, err, router.ErrActionAborted)
	assert.EqualError(t, err, `router: Trigger("boom"): Micro "web": action aborted: the `+
		`handler panicked: net/http: abort Handler`)
}

func TestTriggerTimeout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := newRouter(t, router.Micro{Name: "web", Actions: []string{"slow"},
			Handler: http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				<-r.Context().Done()
			})})
		start := time.Now()
		resp, err := r.Trigger(context.Background(), "slow")
		require.NoError(t, err)
		assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
		assert.Equal(t, router.DefaultRequestTimeout, time.Since(start))
	})
}

func TestActionsPathFromOutside(t *testing.T) {
	t.Parallel()
	r := newAuthRouter(t, newSessions(t), actionMicros()...)
	tests := []struct {
		target string
		status int
		micro  string
	}{
		{router.ActionsPath, http.StatusNotFound, ""},
		{router.ActionsPath + "/", http.StatusNotFound, ""},
		{router.ActionsPath + "/x", http.StatusNotFound, ""},
		{"/__space/v0//actions", http.StatusNotFound, ""},
		{"/api" + router.ActionsPath, http.StatusNotFound, ""},
		{"/hooks" + router.ActionsPath, http.StatusOK, "hooks"},
		{"/open" + router.ActionsPath, http.StatusOK, "open"},
		{"/open" + router.ActionsPath + "/x", http.StatusOK, "open"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodPost, tt.target, nil)
			req.Header.Set("X-API-Key", testAPIKey)
			rec := serve(r, req)
			require.Equal(t, tt.status, rec.Code)
			if tt.status == http.StatusNotFound {
				assert.Equal(t, `{"error":"not_found","message":"this path belongs to the `+
					`Space runtime"}`+"\n", rec.Body.String())
				return
			}
			assert.Equal(t, tt.micro, decodeSeen(t, rec).Micro)
		})
	}
}

func TestActionsPathWithNoAuth(t *testing.T) {
	t.Parallel()
	r := newRouter(t, actionMicros()...)
	rec := serve(r, httptest.NewRequest(http.MethodPost, "/api"+router.ActionsPath, nil))
	assert.Equal(t, http.StatusNotFound, rec.Code)
}

// decodeBody decodes an echo handler's response body.
func decodeBody(t *testing.T, resp *http.Response) seen {
	t.Helper()
	rec := httptest.NewRecorder()
	rec.Code = resp.StatusCode
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	rec.Body.Write(body)
	return decodeSeen(t, rec)
}
