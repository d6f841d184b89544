package client

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRequestJoinsPath(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusOK, "ok"))
	c := newTestClient(t, srv.URL)

	tests := []struct {
		name    string
		path    string
		wantURI string
	}{
		{name: "root", path: "/", wantURI: "/"},
		{name: "leading slash", path: "/api/notes", wantURI: "/api/notes"},
		{name: "no leading slash", path: "api/notes", wantURI: "/api/notes"},
		{name: "trailing slash", path: "/api/", wantURI: "/api/"},
		{name: "query", path: "/api/notes?id=7&sort=asc", wantURI: "/api/notes?id=7&sort=asc"},
		{name: "escaped slash", path: "/files/a%2Fb", wantURI: "/files/a%2Fb"},
		{name: "dots inside a segment", path: "/v1..2/x..", wantURI: "/v1..2/x.."},
		{name: "colon after the first segment", path: "/a:b", wantURI: "/a:b"},
		{name: "escaped slashes first", path: "%2F%2Fevil.example/x",
			wantURI: "/%2F%2Fevil.example/x"},
		{name: "double slash in the query", path: "/find?next=//x", wantURI: "/find?next=//x"},
		{name: "space and escaped slash", path: "/a%2Fb c?q=x y", wantURI: "/a%2Fb%20c?q=x%20y"},
		{name: "line break", path: "/a\nb", wantURI: "/a%0Ab"},
		{name: "backslash", path: `/a\b`, wantURI: "/a%5Cb"},
		{name: "non-ASCII", path: "/café", wantURI: "/caf%C3%A9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := c.NewRequest(t.Context(), http.MethodGet, tt.path, nil)
			require.NoError(t, err)
			assert.Equal(t, srv.URL+tt.wantURI, req.URL.String())

			resp, err := c.Do(req)
			require.NoError(t, err)
			assert.Equal(t, "ok", readAndClose(t, resp))
			requests := srv.Requests()
			assert.Equal(t, tt.wantURI, requests[len(requests)-1].RequestURI)
		})
	}
}

func TestNewRequestRejectsPath(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusOK, "ok"))
	c := newTestClient(t, srv.URL)

	const (
		absolute = `is an absolute URL: pass a path on the app's host, such as "/api/notes"`
		dotDot   = `contains a ".." segment, which could leave the Micro's prefix: ` +
			`pass the path without it`
		schemeRelative = `is a scheme-relative URL, which names another host: pass a path ` +
			`with a single leading "/"`
	)
	tests := []struct {
		path    string
		wantErr string
	}{
		{"", `path is empty: pass a path on the app's host, such as "/" or "/api/notes"`},
		{"https://evil.example/x", `path "https://evil.example/x" ` + absolute},
		{"http://127.0.0.1:1/x", `path "http://127.0.0.1:1/x" ` + absolute},
		{"mailto:owner@example.com", `path "mailto:owner@example.com" ` + absolute},
		{"//evil.example/x", `path "//evil.example/x" ` + schemeRelative},
		{"///x", `path "///x" ` + schemeRelative},
		{"..", `path ".." ` + dotDot},
		{"../x", `path "../x" ` + dotDot},
		{"/..", `path "/.." ` + dotDot},
		{"/a/../b", `path "/a/../b" ` + dotDot},
		{"/a/%2e%2e/b", `path "/a/%2e%2e/b" ` + dotDot},
		{"/a/%2E%2E/b", `path "/a/%2E%2E/b" ` + dotDot},
		{"/a/.%2e/b", `path "/a/.%2e/b" ` + dotDot},
		{"/a/%2e./b", `path "/a/%2e./b" ` + dotDot},
		{"/a%2F..%2Fb", `path "/a%2F..%2Fb" ` + dotDot},
		{`/a\..\b`, `path "/a\\..\\b" ` + dotDot},
		{"/a//b", `path "/a//b" contains an empty segment "//": remove the extra "/"`},
		{"api//x", `path "api//x" contains an empty segment "//": remove the extra "/"`},
		{"/a/b//?q=1", `path "/a/b//?q=1" contains an empty segment "//": remove the extra "/"`},
		{"/x?a=1#top", `path "/x?a=1#top" contains a fragment, which is never sent: ` +
			`remove the part from '#'`},
		{"/x#", `path "/x#" contains a fragment, which is never sent: remove the part from '#'`},
		{"/%zz", `path "/%zz" is not a valid path: invalid URL escape "%zz": escape it ` +
			`with url.PathEscape`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			req, err := c.NewRequest(t.Context(), http.MethodGet, tt.path, nil)
			assert.Nil(t, req)
			require.EqualError(t, err, "client: NewRequest: "+tt.wantErr)

			resp, err := c.Get(t.Context(), tt.path)
			assert.Nil(t, resp)
			require.EqualError(t, err, "client: Get: "+tt.wantErr)

			err = c.GetJSON(t.Context(), tt.path, new(any))
			require.EqualError(t, err, "client: GetJSON: "+tt.wantErr)

			err = c.PostJSON(t.Context(), tt.path, map[string]int{"n": 1}, nil)
			require.EqualError(t, err, "client: PostJSON: "+tt.wantErr)
		})
	}
	assert.Zero(t, srv.Count())
}

func TestNewRequestRejectsInvalidMethod(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "http://127.0.0.1:1")

	req, err := c.NewRequest(t.Context(), "GET /", "/x", nil)

	assert.Nil(t, req)
	require.EqualError(t, err, `client: NewRequest: net/http: invalid method "GET /": pass `+
		`a method such as "GET" or "POST"`)
}

func TestNewRequestRejectsNilContext(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "http://127.0.0.1:1")

	//nolint:staticcheck // A nil context is the input under test.
	req, err := c.NewRequest(nil, http.MethodGet, "/x", nil)

	assert.Nil(t, req)
	require.EqualError(t, err, "client: NewRequest: ctx is nil: pass a context, such as "+
		"the incoming request's")
}

func TestNewRequestDefaultsToGet(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "http://127.0.0.1:1")

	req, err := c.NewRequest(t.Context(), "", "/x", nil)

	require.NoError(t, err)
	assert.Equal(t, http.MethodGet, req.Method)
}

func TestNewRequestLeavesKeyOut(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "http://127.0.0.1:1")

	req, err := c.NewRequest(t.Context(), http.MethodGet, "/x", nil)

	require.NoError(t, err)
	assert.Empty(t, req.Header.Values(apiKeyHeader))
}

// closeTracker is a request body that records whether it was closed.
type closeTracker struct {
	io.Reader
	closed bool
}

func (b *closeTracker) Close() error {
	b.closed = true
	return nil
}

func TestDoRejectsRequest(t *testing.T) {
	t.Parallel()
	app := newTestServer(t, always(http.StatusOK, "ok"))
	other := newTestServer(t, always(http.StatusOK, "ok"))
	c := newTestClient(t, app.URL)

	tests := []struct {
		name    string
		url     string
		wantErr string
	}{
		{
			name: "other origin",
			url:  other.URL + "/x?token=secret-value",
			wantErr: `client: Do: request URL "` + other.URL + `/x?token=REDACTED" is not on ` +
				`the app's origin "` + app.URL + `": build it with NewRequest, which takes a path`,
		},
		{
			name: "other scheme",
			url:  strings.Replace(app.URL, "http:", "https:", 1) + "/x",
			wantErr: `client: Do: request URL "` + strings.Replace(app.URL, "http:", "https:", 1) +
				`/x" is not on the app's origin "` + app.URL + `": build it with NewRequest, ` +
				`which takes a path`,
		},
		{
			name: "empty segment",
			url:  app.URL + "//evil.example/x",
			wantErr: `client: Do: request path "//evil.example/x" contains an empty segment ` +
				`"//": remove the extra "/"`,
		},
		{
			name: "dot-dot segment",
			url:  app.URL + "/api/%2e%2e/admin",
			wantErr: `client: Do: request path "/api/%2e%2e/admin" contains a ".." segment, ` +
				`which could leave the Micro's prefix: send the path without it`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := &closeTracker{Reader: strings.NewReader("payload")}
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, tt.url, body)
			require.NoError(t, err)

			resp, err := c.Do(req)

			assert.Nil(t, resp)
			require.EqualError(t, err, tt.wantErr)
			assert.NotContains(t, err.Error(), "secret-value")
			assert.True(t, body.closed, "Do must close the body of a rejected request")
		})
	}
	assert.Zero(t, app.Count())
	assert.Zero(t, other.Count())
}

func TestDoRejectsNilRequest(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "http://127.0.0.1:1")

	resp, err := c.Do(nil)

	assert.Nil(t, resp)
	require.EqualError(t, err, "client: Do: request is nil: build it with NewRequest")
}

func TestHasDotDotSegment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path string
		want bool
	}{
		{"", false},
		{"/", false},
		{"/a/b", false},
		{"/a..b/..c/d..", false},
		{"/./a/.", false},
		{"..", true},
		{"/..", true},
		{"/../", true},
		{"/a/..", true},
		{"a/../b", true},
		{`a\..\b`, true},
		{"/a/...", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, hasDotDotSegment(tt.path), "path %q", tt.path)
	}
}
