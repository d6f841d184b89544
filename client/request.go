package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
)

// NewRequest returns a request for path on the app's origin, for [Client.Do]. path is a path
// with an optional query, such as "/api/notes?id=7", and a missing leading "/" is added. An
// absolute URL, a scheme-relative "//host" path, a fragment and a ".." segment, also when
// escaped as "%2e%2e", are rejected. method "" means GET.
//
// A body of type *bytes.Buffer, *bytes.Reader or *strings.Reader gets a Content-Length and can
// be replayed, so the request can be retried. Any other body is sent once: Do does not retry
// the request, and its error or log line gives that reason. Set GetBody on the request to make
// such a body replayable.
//
// The request does not carry the key, because Do adds it to its own copy. The returned request
// can therefore be logged or inspected safely.
func (c *Client) NewRequest(ctx context.Context, method, path string,
	body io.Reader) (*http.Request, error) {
	return c.newRequest("NewRequest", ctx, method, path, body)
}

func (c *Client) newRequest(op string, ctx context.Context, method, path string,
	body io.Reader) (*http.Request, error) {
	if ctx == nil {
		return nil, fmt.Errorf("client: %s: ctx is nil: pass a context, such as the "+
			"incoming request's", op)
	}
	u, err := resolvePath(c.base, path)
	if err != nil {
		return nil, fmt.Errorf("client: %s: %w", op, err)
	}

	// The URL is built from checked parts, so it is set directly instead of being printed
	// and parsed again. With ctx and the URL valid, an error can only be about the method.
	req, err := http.NewRequestWithContext(ctx, method, "", body)
	if err != nil {
		return nil, fmt.Errorf(`client: %s: %w: pass a method such as "GET" or "POST"`, op, err)
	}
	req.URL = u
	req.Host = u.Host
	return req, nil
}

// Get sends a GET request for path, as [Client.NewRequest] and [Client.Do] do, and returns the
// response whatever its status. The caller must close its body.
func (c *Client) Get(ctx context.Context, path string) (*http.Response, error) {
	req, err := c.newRequest("Get", ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	resp, _, err := c.do("Get", req, true)
	return resp, err
}
