package client_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/envconfig"
)

// fuzzKey is the key of the fuzzed client. Only the app's origin may receive it.
const fuzzKey = "sk-fuzz-0c1d2e3f4a5b"

// FuzzJoinPath checks, for any path given to NewRequest, that NewRequest either returns an
// error or builds a URL on the base URL's origin. That URL's escaped path has no "//" and no
// ".." segment, and it keeps every segment of the given path. The files in
// testdata/fuzz/FuzzJoinPath are inputs that once broke these rules: "/a//b" kept its "//".
// "%2F%2Fevil.example/x" was sent as "//evil.example/x", and "0%2F " lost its escaped slash.
func FuzzJoinPath(f *testing.F) {
	for _, seed := range []string{
		"/", "/api/notes", "api/notes?id=7", "/files/a%2Fb", "/v1..2/x..", "/a:b",
		"//evil.example/x", "https://evil.example/x", "/a/%2e%2e/b", `/a\..\b`,
		"/x?a=1#top", "%zz", "?q=//x", "/%2F/x", "/caf%C3%A9",
	} {
		f.Add(seed)
	}
	base := &url.URL{Scheme: "https", Host: "notes-1-a1b2.deta.app"}
	rec := &recordingTransport{}
	c, err := client.New(envconfig.Config{Hostname: base.Host, BaseURL: base, APIKey: fuzzKey},
		client.WithHTTPClient(&http.Client{Transport: rec}), client.WithRetryMax(0))
	require.NoError(f, err)

	f.Fuzz(func(t *testing.T, path string) {
		req, err := c.NewRequest(t.Context(), http.MethodGet, path, nil)
		if err != nil {
			require.True(t, strings.HasPrefix(err.Error(), "client: NewRequest: "), err.Error())
			return
		}
		checkJoinedURL(t, base, path, req.URL)

		resp, err := c.Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		sent := rec.last()
		require.Equal(t, base.Host, sent.URL.Host, "the transport got another host")
		require.Equal(t, req.URL.String(), sent.URL.String(), "Do changed the URL")
	})
}

// checkJoinedURL checks the URL that NewRequest built for path.
func checkJoinedURL(t *testing.T, base *url.URL, path string, u *url.URL) {
	t.Helper()
	require.Equal(t, base.Scheme, u.Scheme, "%q: scheme", path)
	require.Equal(t, base.Host, u.Host, "%q: host", path)
	require.Nil(t, u.User, "%q: user information", path)
	require.Empty(t, u.Opaque, "%q: opaque", path)
	require.Empty(t, u.Fragment, "%q: fragment", path)

	again, err := url.Parse(u.String())
	require.NoError(t, err, "%q: %s does not parse", path, u)
	require.Equal(t, base.Host, again.Host, "%q: %s names another host", path, u)

	escaped := u.EscapedPath()
	require.True(t, strings.HasPrefix(escaped, "/"), "%q: escaped path %q", path, escaped)
	require.NotContains(t, escaped, "//", "%q: escaped path %q", path, escaped)
	for _, segment := range strings.FieldsFunc(u.Path, isSeparator) {
		require.NotEqual(t, "..", segment, "%q: decoded path %q", path, u.Path)
	}
	require.Equal(t, decodedSegments(t, withSlash(pathPart(path))), decodedSegments(t, escaped),
		"%q: the escaped path %q does not keep the given segments", path, escaped)
}

func isSeparator(r rune) bool { return r == '/' || r == '\\' }

// pathPart returns path without its query.
func pathPart(path string) string {
	p, _, _ := strings.Cut(path, "?")
	return p
}

func withSlash(p string) string {
	if strings.HasPrefix(p, "/") {
		return p
	}
	return "/" + p
}

// decodedSegments splits an escaped path at its unescaped "/" and decodes each segment, so an
// escaped "%2F" stays inside its segment.
func decodedSegments(t *testing.T, escaped string) []string {
	t.Helper()
	segments := strings.Split(escaped, "/")
	for i, s := range segments {
		decoded, err := url.PathUnescape(s)
		require.NoError(t, err, "segment %q of %q", s, escaped)
		segments[i] = decoded
	}
	return segments
}

// recordingTransport returns an empty 200 for every request and keeps the last request.
type recordingTransport struct {
	mu  sync.Mutex
	req *http.Request
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.req = req
	rt.mu.Unlock()
	return &http.Response{StatusCode: http.StatusOK, Header: make(http.Header),
		Body: http.NoBody, Request: req}, nil
}

func (rt *recordingTransport) last() *http.Request {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.req
}
