package router

import (
	"net"
	"net/http"
	"net/textproto"
	"slices"
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

// forwardHeader returns the header that the Micro receives: a deep copy of the client's header
// without the hop-by-hop headers, including those that Connection names, and without any
// client-sent X-Forwarded-* and Forwarded header. It then sets the router's own:
// X-Forwarded-For from the client's address, X-Forwarded-Host from the Host header,
// X-Forwarded-Proto from the connection, and X-Forwarded-Prefix for a Micro other than the
// primary. The primary gets no X-Forwarded-Prefix, because it serves "/" and prepending "/"
// to a path would make it protocol-relative. The values of the router's headers are stored in
// values, which the caller provides so that they need no allocation of their own.
func forwardHeader(in *http.Request, prefix string, values *[4]string) http.Header {
	h := cloneForwardable(in.Header, len(ForwardedHeaders))
	for _, field := range in.Header["Connection"] {
		for name := range strings.SplitSeq(field, ",") {
			if name = textproto.TrimString(name); name != "" {
				h.Del(name)
			}
		}
	}
	*values = [...]string{clientIP(in.RemoteAddr), in.Host, scheme(in), prefix}
	for i, name := range ForwardedHeaders {
		if values[i] != "" && (i < 3 || prefix != "/") {
			h[name] = values[i : i+1 : i+1]
		}
	}
	return h
}

// cloneForwardable returns a deep copy of h without the names that [isForwardable] rejects,
// with room for extra more names. Like [http.Header.Clone], it keeps nil values nil, and it
// copies the values into shared backing arrays, in one pass over h.
func cloneForwardable(h http.Header, extra int) http.Header {
	out := make(http.Header, len(h)+extra)
	var backing []string
	for name, values := range h {
		if !isForwardable(name) {
			continue
		}
		if values == nil {
			out[name] = nil
			continue
		}
		if cap(backing)-len(backing) < len(values) {
			// Most names have one value, so len(h) is room enough for the rest of them.
			backing = make([]string, 0, max(len(values), len(h)))
		}
		first := len(backing)
		backing = append(backing, values...)
		out[name] = backing[first:len(backing):len(backing)]
	}
	return out
}

// isForwardable reports whether the router passes the header called name on to the Micro:
// it removes the hop-by-hop headers and every X-Forwarded-* and Forwarded header.
func isForwardable(name string) bool {
	return !slices.Contains(hopHeaders, name) && !strings.EqualFold(name, "Forwarded") &&
		!hasFoldPrefix(name, "X-Forwarded-")
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
