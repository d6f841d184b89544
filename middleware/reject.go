package middleware

import (
	"encoding/json"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// serverHeader is the Server header of a rejection. Space's service worker took a 401 whose
// Server header starts with "Deta" to mean "log in first".
const serverHeader = "Deta-spacekit"

// headerForwardedPrefix is the header through which a router in front restores the path
// prefix that it stripped, so the login page can send the browser back to the full URL.
const headerForwardedPrefix = "X-Forwarded-Prefix"

// reason is the cause of a rejection by [Auth]: a short phrase for the log and a message for
// the client, neither of which contains a key or cookie value.
type reason struct {
	log     string
	message string
	body    []byte // the 401 JSON body, encoded once
}

func newReason(log, message string) *reason {
	body, _ := json.Marshal(errorBody{Error: "unauthorized", Message: message})
	return &reason{log: log, message: message, body: append(body, '\n')}
}

var (
	reasonNoCredentials = newReason("no credentials",
		"authentication required: send an X-API-Key or X-Space-App-Key header, or log in")
	reasonInvalidAPIKey = newReason("invalid API key",
		"the X-API-Key header does not contain a valid key")
	reasonInvalidAppKey = newReason("invalid app key",
		"the X-Space-App-Key header does not contain a valid app key")
	reasonAppKeysOff = newReason("app keys not accepted",
		"this Micro does not accept X-Space-App-Key: enable presets.api_keys in the Spacefile")
	reasonSessionExpired = newReason("session expired",
		"the session has expired: log in again")
	reasonInvalidSession = newReason("invalid session",
		"the session cookie is invalid: log in again")
)

// errorBody is the JSON body of every error response of this package.
type errorBody struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// writeJSONError sends status with a JSON [errorBody] that is never cached. A HEAD response
// gets the headers only.
func writeJSONError(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// encodeErrorBody returns the JSON body for code and message.
func encodeErrorBody(code, message string) []byte {
	body, _ := json.Marshal(errorBody{Error: code, Message: message})
	return append(body, '\n')
}

// reject sends the response to a request that [Auth] did not admit. A browser navigation is
// redirected to the login URL when there is one, and every other request gets 401 with a JSON
// body.
func (a *authenticator) reject(w http.ResponseWriter, r *http.Request, why *reason) {
	a.logRejection(r, why)

	h := w.Header()
	h.Set("Server", serverHeader)
	h.Add("Vary", "Accept")
	if a.loginURL != "" && isBrowserNavigation(r) {
		h.Set("Cache-Control", "no-store")
		h.Set("Location", a.loginRedirect(r))
		w.WriteHeader(http.StatusFound)
		return
	}
	writeJSONError(w, r, http.StatusUnauthorized, why.body)
}

// loginRedirect returns the login URL with a redirect_uri parameter that contains the URI the
// browser requested: X-Forwarded-Prefix, when it is a clean absolute path, then the request URI.
func (a *authenticator) loginRedirect(r *http.Request) string {
	original := forwardedPrefix(r.Header) + r.URL.RequestURI()
	separator := "?"
	if strings.Contains(a.loginURL, "?") {
		separator = "&"
	}
	return a.loginURL + separator + "redirect_uri=" + url.QueryEscape(original)
}

// forwardedPrefix returns the single X-Forwarded-Prefix value when it is a clean absolute path
// other than "/" made of unreserved characters and sub-delimiters, else "".
func forwardedPrefix(h http.Header) string {
	values := h[headerForwardedPrefix]
	if len(values) != 1 {
		return ""
	}
	prefix := values[0]
	if len(prefix) < 2 || prefix[0] != '/' || path.Clean(prefix) != prefix {
		return ""
	}
	for i := 0; i < len(prefix); i++ {
		if !isPathByte(prefix[i]) {
			return ""
		}
	}
	return prefix
}

// isPathByte reports whether c may appear in a forwarded prefix: an unreserved character, a
// sub-delimiter, ":", "@" or "/". Percent signs are excluded, so the prefix needs no decoding.
func isPathByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0
}

// isBrowserNavigation reports whether r is a GET or HEAD whose Accept header lists text/html
// with a quality above zero.
func isBrowserNavigation(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, value := range r.Header["Accept"] {
		if acceptsHTML(value) {
			return true
		}
	}
	return false
}

// acceptsHTML reports whether one Accept header value lists text/html without q=0.
func acceptsHTML(value string) bool {
	for value != "" {
		var item string
		item, value, _ = strings.Cut(value, ",")
		mediaType, params, _ := strings.Cut(item, ";")
		if strings.EqualFold(strings.TrimSpace(mediaType), "text/html") {
			return !hasZeroQuality(params)
		}
	}
	return false
}

// hasZeroQuality reports whether media-type parameters such as " q=0.0; level=1" set the
// quality to zero.
func hasZeroQuality(params string) bool {
	for params != "" {
		var param string
		param, params, _ = strings.Cut(params, ";")
		name, value, _ := strings.Cut(strings.TrimSpace(param), "=")
		if strings.EqualFold(name, "q") {
			return strings.Trim(strings.TrimSpace(value), "0.") == ""
		}
	}
	return false
}
