package spacetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
)

// streamThreshold is how many body bytes an in-process response buffers before it hands the
// response to the client and streams the rest. net/http's server buffers a few KiB before it
// sends the header, so a handler that writes more, or flushes, and then waits for the client
// behaves as it would over a socket.
const streamThreshold = 4096

// errConnectionClosed is the transport error a client gets when the handler aborted the
// response, as when a server closes the connection. It wraps io.ErrUnexpectedEOF, as net/http
// reports a connection closed before the end of a response.
var errConnectionClosed = fmt.Errorf("spacetest: the server closed the connection: %w",
	io.ErrUnexpectedEOF)

// errBodyClosed is the error of a handler's write after the client closed the response body.
var errBodyClosed = errors.New("spacetest: the client closed the response body")

// response is the [http.ResponseWriter] of an in-process request. It buffers the start of the
// body. The client gets the response when the handler returns, flushes, or writes more than
// streamThreshold bytes, whichever comes first. After that the body flows through a pipe, so a
// write blocks until the client reads it, as over a socket.
//
// The router calls the writer from one goroutine at a time. Other goroutines only abandon the
// exchange, under mu.
type response struct {
	req      *http.Request // the client's request
	header   http.Header
	status   int
	declared int64 // the Content-Length the handler set, or -1
	written  int64
	buf      bytes.Buffer
	small    [512]byte      // buf's first storage, so a small body needs no allocation
	pw       *io.PipeWriter // set once the response streams
	server   serverReq      // the request the router serves

	// Storage for the client's response, its body and its Content-Length value, so that a
	// response the handler completed needs no allocations of its own.
	clientResp    http.Response
	bufBody       bufferBody
	contentLength [1]string

	mu        sync.Mutex
	ready     chan struct{} // closed once resp or err is set
	resp      *http.Response
	err       error
	abandoned error                   // the reason the client no longer reads the response, or nil
	cancel    context.CancelCauseFunc // ends the handler\'s context; the router registers it
}

func newResponse(req *http.Request) *response {
	rw := &response{req: req, header: make(http.Header), declared: -1,
		ready: make(chan struct{})}
	rw.buf = *bytes.NewBuffer(rw.small[:0])
	return rw
}

// RegisterCancel implements [router.CancelRegistrar]: the router passes the function that
// ends the handler's context. When the exchange was abandoned already, it is called at once.
func (rw *response) RegisterCancel(cancel context.CancelCauseFunc) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	rw.cancel = cancel
	if rw.abandoned != nil {
		cancel(rw.abandoned)
	}
}

// cancelHandler ends the handler's context with reason, if the router has registered how.
func (rw *response) cancelHandler(reason error) {
	rw.mu.Lock()
	cancel := rw.cancel
	rw.mu.Unlock()
	if cancel != nil {
		cancel(reason)
	}
}

func (rw *response) Header() http.Header { return rw.header }

// WriteHeader records the status and the declared Content-Length. A code outside 100 to 999
// panics, as in net/http. Informational codes are dropped.
func (rw *response) WriteHeader(code int) {
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("spacetest: invalid WriteHeader code %d", code))
	}
	if rw.status != 0 || code < 200 {
		return
	}
	rw.status = code
	if cl := rw.header.Get("Content-Length"); cl != "" {
		if n, err := strconv.ParseInt(cl, 10, 64); err == nil && n >= 0 {
			rw.declared = n
		}
	}
}

// Write appends p to the body. As in net/http, it fails for a status without a body and for a
// body longer than the declared Content-Length, and a HEAD response discards the body.
func (rw *response) Write(p []byte) (int, error) {
	if rw.status == 0 {
		rw.WriteHeader(http.StatusOK)
	}
	switch {
	case !bodyAllowed(rw.status):
		return 0, http.ErrBodyNotAllowed
	case rw.req.Method == http.MethodHead:
		return len(p), nil
	case rw.declared >= 0 && rw.written+int64(len(p)) > rw.declared:
		return 0, http.ErrContentLength
	}
	rw.written += int64(len(p))
	if rw.pw != nil {
		return rw.pw.Write(p)
	}
	rw.buf.Write(p)
	if rw.buf.Len() > streamThreshold {
		if err := rw.stream(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush hands the response to the client now; the rest of the body streams.
func (rw *response) Flush() {
	if rw.status == 0 {
		rw.WriteHeader(http.StatusOK)
	}
	if rw.pw == nil {
		_ = rw.stream()
	}
}

// stream hands the response to the client with the buffered bytes and a pipe for the rest.
// It returns an error when the client has gone.
func (rw *response) stream() error {
	pr, pw := io.Pipe()
	prefix := rw.buf.Bytes() // the buffer is not written again once the response streams
	body := &streamBody{prefix: prefix, pr: pr, pw: pw, remaining: rw.declared, rw: rw}
	if err := rw.commit(body, rw.declared, false); err != nil {
		return err
	}
	rw.pw = pw
	return nil
}

// finish completes the response after the handler returned. A buffered response goes to the
// client whole, with its Content-Length; a streamed one ends. A body shorter than its declared
// Content-Length ends with io.ErrUnexpectedEOF, as it would on a socket.
func (rw *response) finish() {
	if rw.status == 0 {
		rw.WriteHeader(http.StatusOK)
	}
	if rw.pw != nil {
		rw.mu.Lock()
		setTrailers(rw.resp.Trailer, rw.header)
		rw.mu.Unlock()
		_ = rw.pw.CloseWithError(rw.shortBody())
		return
	}
	length := int64(rw.buf.Len())
	if rw.declared >= 0 {
		length = rw.declared
	}
	rw.bufBody = bufferBody{data: rw.buf.Bytes(), err: rw.shortBody()}
	_ = rw.commit(&rw.bufBody, length, true)
}

// shortBody returns io.ErrUnexpectedEOF when the handler wrote less than it declared.
func (rw *response) shortBody() error {
	if rw.declared >= 0 && rw.written < rw.declared && rw.req.Method != http.MethodHead &&
		bodyAllowed(rw.status) {
		return io.ErrUnexpectedEOF
	}
	return nil
}

// fail ends the exchange with a transport error, as a closed connection: before the response
// is ready RoundTrip returns err, and after it the body's next read does.
func (rw *response) fail(err error) {
	if rw.pw != nil {
		_ = rw.pw.CloseWithError(err)
		return
	}
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if rw.resp == nil && rw.err == nil {
		rw.err = err
		close(rw.ready)
	}
}

// abandon records that the client will not read the response, because its request was
// canceled or the App was cleaned up. It ends the handler's context. A RoundTrip still
// waiting returns reason. A body that the client already has fails with reason, and the
// handler's writes fail.
func (rw *response) abandon(reason error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	rw.abandoned = reason
	if rw.cancel != nil {
		rw.cancel(reason)
	}
	if rw.resp == nil {
		if rw.err == nil {
			rw.err = reason
			close(rw.ready)
		}
		return
	}
	if body, ok := rw.resp.Body.(*streamBody); ok {
		// The client's reads fail with reason, and the handler's writes with io.ErrClosedPipe.
		_ = body.pw.CloseWithError(reason)
	}
}

// commit builds the client's response around body and hands it to RoundTrip. complete means
// the handler has returned, so the trailers are known.
func (rw *response) commit(body io.ReadCloser, length int64, complete bool) error {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if rw.abandoned != nil {
		return rw.abandoned
	}
	header, trailer := splitTrailers(rw.header, complete)
	sniff(header, rw.status, rw.buf.Bytes(), rw.req.Method)
	hasBody := rw.req.Method != http.MethodHead && bodyAllowed(rw.status)
	if length >= 0 && hasBody {
		rw.contentLength[0] = strconv.FormatInt(length, 10)
		header["Content-Length"] = rw.contentLength[:1:1]
	}
	if !hasBody {
		body = http.NoBody
	}
	rw.clientResp = http.Response{
		Status:        statusLine(rw.status),
		StatusCode:    rw.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        header,
		Body:          body,
		ContentLength: length,
		Close:         strings.EqualFold(header.Get("Connection"), "close"),
		Trailer:       trailer,
		Request:       rw.req,
	}
	rw.resp = &rw.clientResp
	close(rw.ready)
	return nil
}

func bodyAllowed(status int) bool {
	return status != http.StatusNoContent && status != http.StatusNotModified &&
		(status < 100 || status > 199)
}

// sniff sets Content-Type from the body when the handler set none, as net/http's server does.
func sniff(h http.Header, status int, body []byte, method string) {
	if _, ok := h["Content-Type"]; ok || len(body) == 0 || !bodyAllowed(status) ||
		method == http.MethodHead || h.Get("Content-Encoding") != "" {
		return
	}
	h.Set("Content-Type", http.DetectContentType(body))
}

// splitTrailers returns the header without trailers, and the trailers: the names that the
// Trailer header declares, with their values when the handler has returned (complete), and
// the names set with [http.TrailerPrefix]. Like net/http's client, it removes the Trailer
// header itself. A complete response keeps h as its header, since nothing writes to h any
// more. A streamed response gets a copy, because the router adds trailers to h later.
func splitTrailers(h http.Header, complete bool) (header, trailer http.Header) {
	header = h
	if !complete {
		header = h.Clone()
	}
	for _, list := range h["Trailer"] {
		for name := range strings.SplitSeq(list, ",") {
			if name = http.CanonicalHeaderKey(textproto.TrimString(name)); name != "" {
				trailer = addTrailer(trailer, name, nil)
			}
		}
	}
	if complete {
		trailer = setTrailers(trailer, h)
	}
	delete(header, "Trailer")
	for name := range header {
		if _, ok := trailer[name]; ok || strings.HasPrefix(name, http.TrailerPrefix) {
			delete(header, name)
		}
	}
	return header, trailer
}

// setTrailers fills trailer with the values of its names from h, and adds the names set
// with [http.TrailerPrefix].
func setTrailers(trailer, h http.Header) http.Header {
	for name := range trailer {
		trailer[name] = h[name]
	}
	for name, values := range h {
		if after, ok := strings.CutPrefix(name, http.TrailerPrefix); ok {
			trailer = addTrailer(trailer, http.CanonicalHeaderKey(after), values)
		}
	}
	return trailer
}

func addTrailer(trailer http.Header, name string, values []string) http.Header {
	if trailer == nil {
		trailer = make(http.Header)
	}
	trailer[name] = values
	return trailer
}

// bufferBody is the body of a response that the handler completed before the client got it.
type bufferBody struct {
	data []byte // what is left to read
	err  error  // returned instead of io.EOF, for a body shorter than its Content-Length
}

func (b *bufferBody) Read(p []byte) (int, error) {
	if len(b.data) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		return 0, io.EOF
	}
	n := copy(p, b.data)
	b.data = b.data[n:]
	return n, nil
}

func (b *bufferBody) Close() error { return nil }

// streamBody is the body of a response that the client got before the handler returned: the
// buffered start, then a pipe from the handler. Like a body read from a socket, it ends after
// a declared Content-Length, and closing it early ends the handler's context.
type streamBody struct {
	prefix    []byte
	pr        *io.PipeReader
	pw        *io.PipeWriter // the handler's end, which abandon closes
	remaining int64          // bytes left of the declared Content-Length, prefix included, or -1
	rw        *response      // whose handler closing the body cancels
}

func (b *streamBody) Read(p []byte) (int, error) {
	if b.remaining == 0 {
		return 0, io.EOF
	}
	if b.remaining > 0 && int64(len(p)) > b.remaining {
		p = p[:b.remaining]
	}
	n, err := b.read(p)
	if b.remaining > 0 {
		b.remaining -= int64(n)
		if err == io.EOF && b.remaining > 0 {
			err = io.ErrUnexpectedEOF
		}
	}
	return n, err
}

func (b *streamBody) read(p []byte) (int, error) {
	if len(b.prefix) > 0 {
		n := copy(p, b.prefix)
		b.prefix = b.prefix[n:]
		return n, nil
	}
	return b.pr.Read(p)
}

// Close stops the handler's writes and ends its context, as closing a connection would.
func (b *streamBody) Close() error {
	_ = b.pr.CloseWithError(errBodyClosed)
	b.rw.cancelHandler(errBodyClosed)
	return nil
}

// statusLines are the Status strings of the registered codes, built once, so that a response
// needs no new string.
var statusLines = func() map[int]string {
	lines := make(map[int]string)
	for code := 200; code < 600; code++ {
		if text := http.StatusText(code); text != "" {
			lines[code] = strconv.Itoa(code) + " " + text
		}
	}
	return lines
}()

// statusLine returns the Status of a response with code, such as "200 OK".
func statusLine(code int) string {
	if line, ok := statusLines[code]; ok {
		return line
	}
	return strconv.Itoa(code) + " " + http.StatusText(code)
}
