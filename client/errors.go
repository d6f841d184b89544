package client

import (
	"net/http"
	"strconv"
	"strings"
	"unicode"
)

// Error describes a call that failed. [Client.Do] returns it when it has no response to return.
// [Client.GetJSON] and [Client.PostJSON] also return it for a status outside 2xx and for a
// response body that is not the expected JSON. Match it with [errors.As]. No field contains
// the key.
type Error struct {
	// Method is the request's method, such as "GET".
	Method string

	// URL is the request's URL with every query value replaced by "REDACTED".
	URL string

	// StatusCode is the status of the last attempt's response, or 0 when the last attempt got
	// none.
	StatusCode int

	// Attempts is the number of attempts sent. It is 0 when the call failed before the first
	// one, for example in the rate limiter.
	Attempts int

	// Body is the start of the last response's body, up to 512 bytes, with the key replaced
	// by "[REDACTED]" and invalid UTF-8 replaced. It is empty when the body was not read.
	Body string

	// Err is the cause, or nil when the status alone is the failure. It may wrap a transport
	// error, [context.Canceled] or [context.DeadlineExceeded].
	Err error
}

// Error returns one line with the method, the redacted URL, the status, the attempts, the
// cause and the start of the response body.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("client: " + e.Method + " " + e.URL + ": ")
	b.WriteString(e.outcome())
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	if e.Body != "" {
		b.WriteString(": response body: " + printable(e.Body))
	}
	return b.String()
}

// outcome returns the status and the number of attempts, such as
// "503 Service Unavailable after 3 attempts".
func (e *Error) outcome() string {
	if e.Attempts == 0 {
		return "not sent"
	}
	attempts := "after " + strconv.Itoa(e.Attempts) + " attempt"
	if e.Attempts != 1 {
		attempts += "s"
	}
	if e.StatusCode == 0 {
		return attempts
	}
	return statusLine(e.StatusCode) + " " + attempts
}

// Unwrap returns the cause, Err.
func (e *Error) Unwrap() error {
	return e.Err
}

// statusLine returns the code and its text, such as "404 Not Found".
func statusLine(code int) string {
	text := http.StatusText(code)
	if text == "" {
		return strconv.Itoa(code)
	}
	return strconv.Itoa(code) + " " + text
}

// printable returns s on one line: runs of white space become one space, and other
// characters that a terminal would interpret become '?'.
func printable(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return '?'
	}, s)
}
