package spacetest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
)

// remoteAddr is the client address of in-process requests, so X-Forwarded-For is 127.0.0.1.
const remoteAddr = "127.0.0.1:40000"

// errAppClosed is the error of requests made after, or cut short by, the end of the test.
var errAppClosed = errors.New("spacetest: the App was cleaned up at the end of its test")

// transport is the [http.RoundTripper] that runs the app's router in the caller's process,
// with no sockets. Each request runs in a goroutine of its own, as it would on a server. The
// response reaches the caller when the handler returns, flushes or has written a few KiB, and
// the rest of the body streams. The handler's context derives from the request's, so
// canceling the request cancels the handler. Closing the response body early cancels it too,
// through the function the router registers with [router.CancelRegistrar]. It is safe for
// concurrent use.
type transport struct {
	app  *App
	host string // the only host it serves, such as "app.spacetest.localhost"
}

// RoundTrip serves req with the app's router. It closes req.Body once the handler returns.
func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := tr.check(req); err != nil {
		closeBody(req)
		return nil, err
	}
	rw := newResponse(req)
	if !tr.app.track.start(rw) {
		closeBody(req)
		return nil, errAppClosed
	}
	serverRequest(&rw.server, req)
	go tr.serve(rw)
	select {
	case <-rw.ready:
		return rw.result()
	case <-req.Context().Done():
		rw.abandon(req.Context().Err())
		return nil, req.Context().Err()
	}
}

// check rejects a request that no server of the app would receive.
func (tr *transport) check(req *http.Request) error {
	switch {
	case req.URL == nil:
		return errors.New("spacetest: request without a URL")
	case req.URL.Scheme != "http":
		return fmt.Errorf("spacetest: scheme %q: the in-process transport serves http://%s",
			req.URL.Scheme, tr.host)
	case !strings.EqualFold(req.URL.Host, tr.host) &&
		!strings.EqualFold(req.URL.Host, tr.host+":80"):
		return fmt.Errorf("spacetest: host %q: the in-process transport serves only the "+
			"app's host %q", req.URL.Host, tr.host)
	}
	return req.Context().Err()
}

// serve runs the router for the exchange's server request and completes the exchange. The
// request body is closed before the response is complete.
func (tr *transport) serve(rw *response) {
	growStack()
	defer tr.app.track.done(rw)
	if tr.route(rw, &rw.server.req) {
		rw.finish()
	}
}

// route runs the router and reports whether it returned. A panic ends the exchange like a
// server that closes the connection.
func (tr *transport) route(rw *response, req *http.Request) (returned bool) {
	defer func() {
		if p := recover(); p != nil {
			tr.app.reportPanic(p)
			rw.fail(errConnectionClosed)
		}
	}()
	defer closeBody(req)
	tr.app.router.ServeHTTP(rw, req)
	return true
}

// serveStackBytes is the frame size of growStack. It leaves a goroutine with a 4 KiB stack,
// which is enough for the router, the authentication middleware and a small handler.
const serveStackBytes = 2048

// stackDepth indexes growStack's array, so that the compiler keeps the array.
var stackDepth = serveStackBytes - 1

// growStack makes a new goroutine's stack large enough to serve a request at once. A goroutine
// starts with a small stack that the runtime doubles when a call needs more, copying every
// frame on it. Growing it here, with a single frame below, is cheaper than growing it in the
// depth of the router, which cost about a tenth of an in-process request.
//
//go:noinline
func growStack() byte {
	var frame [serveStackBytes]byte
	return frame[stackDepth]
}

// result returns the response or error that the exchange produced.
func (rw *response) result() (*http.Response, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	return rw.resp, rw.err
}

// serverRequest fills out with req as a server would receive it: a URL with only the path
// and the query, a RequestURI, canonical header names, a non-nil body and the client's
// address. out.req keeps req's context.
func serverRequest(out *serverReq, req *http.Request) {
	out.req = *req // a shallow copy, as req.WithContext(req.Context()) makes
	out.url = url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	r := &out.req
	r.URL = &out.url
	r.RequestURI = r.URL.RequestURI()
	if r.Host == "" {
		r.Host = req.URL.Host
	}
	r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.1", 1, 1
	r.Header = canonicalHeader(req.Header)
	r.RemoteAddr = remoteAddr
	r.GetBody, r.Response, r.Cancel, r.Close = nil, nil, nil, false
	r.Body, r.ContentLength = serverBody(req)
}

// serverReq is the request that the router receives, with its URL, kept in the exchange's
// response so that they need no allocations of their own.
type serverReq struct {
	req http.Request
	url url.URL
}

// serverBody returns the body and length that a server would see: a body of unknown length
// (-1) unless the client declared it, and http.NoBody for none.
func serverBody(req *http.Request) (io.ReadCloser, int64) {
	if req.Body == nil || req.Body == http.NoBody {
		return http.NoBody, 0
	}
	if req.ContentLength == 0 {
		return req.Body, -1
	}
	return req.Body, req.ContentLength
}

// canonicalHeader returns h, or a copy with canonical names when some are not, as a server
// parses them. The router copies the header before changing it, so h is shared.
func canonicalHeader(h http.Header) http.Header {
	if h == nil {
		return make(http.Header)
	}
	for name := range h {
		if textproto.CanonicalMIMEHeaderKey(name) != name {
			return canonicalCopy(h)
		}
	}
	return h
}

func canonicalCopy(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for name, values := range h {
		key := textproto.CanonicalMIMEHeaderKey(name)
		out[key] = append(out[key], values...)
	}
	return out
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}
