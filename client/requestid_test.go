package client

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/internal/requestid"
	"github.com/spacekit/spacekit/middleware"
)

func TestRequestIDSentOn(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, failThen(1, http.StatusServiceUnavailable))
	c := newTestClient(t, srv.URL)

	tests := []struct {
		name   string
		ctx    func(context.Context) context.Context
		header string
		want   []string
	}{
		{
			name: "from context",
			ctx:  func(ctx context.Context) context.Context { return requestid.NewContext(ctx, "req-1") },
			want: []string{"req-1"},
		},
		{
			name: "none",
			ctx:  func(ctx context.Context) context.Context { return ctx },
		},
		{
			name: "empty",
			ctx:  func(ctx context.Context) context.Context { return requestid.NewContext(ctx, "") },
		},
		{
			name: "with a space",
			ctx: func(ctx context.Context) context.Context {
				return requestid.NewContext(ctx, "req 1")
			},
		},
		{
			name: "with a line break",
			ctx: func(ctx context.Context) context.Context {
				return requestid.NewContext(ctx, "req-1\r\nX-Evil: 1")
			},
		},
		{
			name: "too long",
			ctx: func(ctx context.Context) context.Context {
				return requestid.NewContext(ctx, strings.Repeat("a", maxRequestIDLength+1))
			},
		},
		{
			name: "longest",
			ctx: func(ctx context.Context) context.Context {
				return requestid.NewContext(ctx, strings.Repeat("a", maxRequestIDLength))
			},
			want: []string{strings.Repeat("a", maxRequestIDLength)},
		},
		{
			name:   "caller's header wins",
			ctx:    func(ctx context.Context) context.Context { return requestid.NewContext(ctx, "req-1") },
			header: "caller-id",
			want:   []string{"caller-id"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := srv.Count()
			req, err := c.NewRequest(tt.ctx(t.Context()), http.MethodGet, "/x", nil)
			require.NoError(t, err)
			if tt.header != "" {
				req.Header.Set(requestid.Header, tt.header)
			}

			resp, err := c.Do(req)

			require.NoError(t, err)
			readAndClose(t, resp)
			for _, r := range srv.Requests()[before:] {
				assert.Equal(t, tt.want, r.Header.Values(requestid.Header))
			}
		})
	}
	assert.Equal(t, 1+len(tests), srv.Count(), "the first call is retried once")
}

func TestRequestIDFromMiddleware(t *testing.T) {
	t.Parallel()
	sibling := newTestServer(t, always(http.StatusOK, "ok"))
	c := newTestClient(t, sibling.URL)
	front := newTestServer(t, middleware.RequestID(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			resp, err := c.Get(r.Context(), "/api/x")
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			defer resp.Body.Close()
			_, _ = io.Copy(w, resp.Body)
		})).ServeHTTP)

	tests := []struct {
		name     string
		incoming string
	}{
		{name: "incoming ID", incoming: "req-abc.1"},
		{name: "generated ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := sibling.Count()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, front.URL, nil)
			require.NoError(t, err)
			if tt.incoming != "" {
				req.Header.Set(requestid.Header, tt.incoming)
			}

			resp, err := front.Client().Do(req)

			require.NoError(t, err)
			assert.Equal(t, "ok", readAndClose(t, resp))
			id := resp.Header.Get(requestid.Header)
			require.NotEmpty(t, id, "the middleware must set an ID")
			if tt.incoming != "" {
				assert.Equal(t, tt.incoming, id)
			}
			got := sibling.Requests()[before:]
			require.Len(t, got, 1)
			assert.Equal(t, []string{id}, got[0].Header.Values(requestid.Header))
		})
	}
}
