package router

import (
	"net"
	"net/http"
	"net/textproto"
	"strings"
)

// Headers that the router sets on every request it passes to a Micro. A client cannot forge
// or remove them: the router deletes every client-sent X-Forwarded-* header first.
const (
	HeaderForwardedFor    = "X-Forwarded-For"
	HeaderForwardedHost   = "X-Forwarded-Host"
	HeaderForwardedProto  = "X-Forwarded-Proto"
	HeaderForwardedPrefix = "X-Forwarded-Prefix"
)

// ForwardedHeaders lists the headers the router sets, in the order above. A reverse proxy
// that serves as [Micro.Handler] copies them from the incoming to the outgoing request.
var ForwardedHeaders = []string{
	HeaderForwardedFor, HeaderForwardedHost, HeaderForwardedProto, HeaderForwardedPrefix,
}

// hopHeaders are the hop-by-hop headers of RFC 9110, section 7.6.1, and the older ones that
// proxies also remove.
var hopHeaders = []string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// setForwardedHeaders removes the hop-by-hop headers, including those that Connection names,
// and every client-sent X-Forwarded-* and Forwarded header from h. It then sets the router's
// own: X-Forwarded-For from the client's address, X-Forwarded-Host from the Host header,
// X-Forwarded-Proto from the connection, and X-Forwarded-Prefix for a Micro other than the
// primary. The primary gets no X-Forwarded-Prefix, because it serves "/" and prepending "/"
// to a path would make it protocol-relative.
func setForwardedHeaders(h http.Header, in *http.Request, prefix string) {
	removeHopByHop(h)
	removeForwarded(h)
	values := [...]string{clientIP(in.RemoteAddr), in.Host, scheme(in), prefix}
	for i, name := range ForwardedHeaders {
		if values[i] != "" && (i < 3 || prefix != "/") {
			h[name] = values[i : i+1 : i+1]
		}
	}
}

// cloneHeader returns a deep copy of h with room for extra more names. Like
// [http.Header.Clone], it copies all values into one backing array.
func cloneHeader(h http.Header, extra int) http.Header {
	count := 0
	for _, values := range h {
		count += len(values)
	}
	backing := make([]string, count)
	out := make(http.Header, len(h)+extra)
	for name, values := range h {
		if values == nil {
			out[name] = nil
			continue
		}
		n := copy(backing, values)
		out[name] = backing[:n:n]
		backing = backing[n:]
	}
	return out
}

func removeHopByHop(h http.Header) {
	for _, field := range h["Connection"] {
		for name := range strings.SplitSeq(field, ",") {
			if name = textproto.TrimString(name); name != "" {
				h.Del(name)
			}
		}
	}
	for _, name := range hopHeaders {
		delete(h, name)
	}
}

func removeForwarded(h http.Header) {
	for name := range h {
		if strings.EqualFold(name, "Forwarded") || hasFoldPrefix(name, "X-Forwarded-") {
			delete(h, name)
		}
	}
}

func hasFoldPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// clientIP returns the host part of a RemoteAddr such as "192.0.2.1:1234", or the whole
// value when it has no port.
func clientIP(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return remoteAddr
	}
	return host
}

func scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}
