package client

import (
	"context"
	"io"
	"net/http"
	"strings"
)

const (
	// drainLimit bounds the bytes read from a response body that is not returned, so that its
	// connection can be reused. A longer body is closed unread, which closes its connection.
	drainLimit = 64 << 10

	// excerptLimit bounds [Error.Body].
	excerptLimit = 512
)

// discard drains up to drainLimit bytes of resp's body and closes it. resp may be nil.
func discard(resp *http.Response) {
	if resp == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, resp.Body, drainLimit)
	_ = resp.Body.Close()
}

// excerpt reads the start of body for [Error.Body], with every occurrence of key replaced. It
// reads len(key) bytes past the limit, so that no occurrence that starts within the limit is
// cut in half before the replacement.
//
// NOTE: only the key's exact text is replaced. A server that echoes it encoded, for example
// in base64 or percent-encoding, puts that form in the excerpt.
func excerpt(body io.Reader, key string) string {
	buf, _ := io.ReadAll(io.LimitReader(body, int64(excerptLimit+len(key))))
	text := string(buf)
	if key != "" {
		text = strings.ReplaceAll(text, key, "[REDACTED]")
	}
	if len(text) > excerptLimit {
		text = text[:excerptLimit]
	}
	return strings.ToValidUTF8(text, "\uFFFD")
}

// cancelOnClose cancels an attempt's context when the response body is closed, so that an
// attempt timeout covers the body as well as the headers.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

// Close closes the body and then cancels the attempt's context.
func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
