package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
)

// GetJSON sends a GET request for path and decodes the JSON response body into out, which must
// be a non-nil pointer. A status outside 2xx, or a body that does not decode, returns an
// *[Error] that carries the status and the start of the body. GetJSON reads and closes the
// response body.
func (c *Client) GetJSON(ctx context.Context, path string, out any) error {
	if err := checkOut("GetJSON", out, false); err != nil {
		return err
	}
	req, err := c.newRequest("GetJSON", ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	return c.doJSON("GetJSON", req, out)
}

// PostJSON sends a POST request for path with in encoded as JSON, and decodes the JSON response
// body into out. A nil in sends no body, and a nil out discards the response body. A status
// outside 2xx, or a body that does not decode, returns an *[Error].
//
// PostJSON sends no Idempotency-Key header, so it retries only after a dial error, which proves
// that the request never reached the server. A PostJSON that fails with a 503 is not sent
// again. To make a POST retryable, build it with [Client.NewRequest], set an Idempotency-Key
// header, and send it with [Client.Do].
func (c *Client) PostJSON(ctx context.Context, path string, in, out any) error {
	if err := checkOut("PostJSON", out, true); err != nil {
		return err
	}
	body, err := encodeJSON(in)
	if err != nil {
		return err
	}
	req, err := c.newRequest("PostJSON", ctx, http.MethodPost, path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.doJSON("PostJSON", req, out)
}

// checkOut rejects an out that json.Unmarshal could not decode into.
func checkOut(op string, out any, nilAllowed bool) error {
	if out == nil && nilAllowed {
		return nil
	}
	v := reflect.ValueOf(out)
	if !v.IsValid() || v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("client: %s: out is %T, not a non-nil pointer: pass a pointer to "+
			"the value to decode into, such as &notes", op, out)
	}
	return nil
}

// encodeJSON returns in as a JSON body, or nil for a nil in.
func encodeJSON(in any) (io.Reader, error) {
	if in == nil {
		return nil, nil
	}
	data, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("client: PostJSON: encoding the request body: %w", err)
	}
	return bytes.NewReader(data), nil
}

// doJSON sends req and decodes a 2xx response into out, if out is not nil.
func (c *Client) doJSON(op string, req *http.Request, out any) error {
	resp, attempts, err := c.do(op, req, true)
	if err != nil {
		return err
	}
	defer discard(resp)

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := c.responseError(req, resp, attempts, nil)
		e.Body = excerpt(resp.Body, c.key().Reveal())
		return e
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return c.responseError(req, resp, attempts,
			fmt.Errorf("decoding the JSON response body: %w", err))
	}
	return nil
}

func (c *Client) responseError(req *http.Request, resp *http.Response, attempts int,
	err error) *Error {
	return &Error{
		Method:     req.Method,
		URL:        redactedURL(req.URL),
		StatusCode: resp.StatusCode,
		Attempts:   attempts,
		Err:        err,
	}
}
