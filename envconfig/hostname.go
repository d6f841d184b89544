package envconfig

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// ParseHostname returns the base URL for an app hostname, by Space's rules for
// DETA_SPACE_APP_HOSTNAME:
//   - a value without a scheme, such as "notes-1-a1b2.deta.app", means https, except for local
//     hosts (localhost, *.localhost, 127.0.0.0/8 and [::1]), which mean http;
//   - a value with an http or https scheme keeps it;
//   - surrounding white space and one trailing "/" are dropped;
//   - a path, query, fragment or user information is an error, and so is a port outside 1 to
//     65535;
//   - an IPv6 address must be in brackets, as in "[::1]:4200";
//   - any other host must be a DNS name of at most 253 bytes, made of labels of 1 to 63 ASCII
//     letters, digits, '-' or '_', without an empty label or a trailing dot.
//
// The result has only a scheme and a host, so a path can be joined to it without producing "//".
// Errors wrap [ErrInvalid].
func ParseHostname(hostname string) (*url.URL, error) {
	value := strings.TrimSpace(hostname)
	if value == "" {
		return nil, fmt.Errorf("%w: hostname is empty: set it to the app's host, such as "+
			"notes-1-a1b2.deta.app or localhost:4200", ErrInvalid)
	}

	if err := checkUnbracketedIPv6(value); err != nil {
		return nil, err
	}
	u, err := parseHostURL(value)
	if err != nil {
		return nil, err
	}

	if err := checkHostOnly(u); err != nil {
		return nil, err
	}
	if err := checkHostName(value, u); err != nil {
		return nil, err
	}

	if u.Scheme == "" {
		u.Scheme = defaultScheme(u.Hostname())
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// parseHostURL parses value as a URL, reading a value without "://" as a bare host, so that
// "localhost:4200" is not taken for the scheme "localhost".
func parseHostURL(value string) (*url.URL, error) {
	hasScheme := strings.Contains(value, "://")
	raw := value
	if !hasScheme {
		raw = "//" + value
	}

	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: hostname %q is not a valid host: %v",
			ErrInvalid, redactUserinfo(value), unwrapURLError(err))
	}

	if hasScheme && u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%w: hostname %q has scheme %q: use http, https or no scheme",
			ErrInvalid, u.Redacted(), u.Scheme)
	}
	return u, nil
}

// checkHostOnly rejects everything but a scheme, a host and an optional port.
func checkHostOnly(u *url.URL) error {
	shown := u.Redacted()
	switch {
	case u.User != nil:
		return fmt.Errorf("%w: hostname %q contains user information: remove the part "+
			"before '@'", ErrInvalid, shown)
	case u.Host == "" || u.Hostname() == "":
		return fmt.Errorf("%w: hostname %q has no host: set it to a host such as "+
			"notes-1-a1b2.deta.app", ErrInvalid, shown)
	case u.Path != "" && u.Path != "/":
		return fmt.Errorf("%w: hostname %q contains the path %q: give the host alone",
			ErrInvalid, shown, u.Path)
	case u.RawQuery != "" || u.ForceQuery:
		return fmt.Errorf("%w: hostname %q contains a query: give the host alone",
			ErrInvalid, shown)
	case u.Fragment != "" || strings.Contains(u.String(), "#"):
		return fmt.Errorf("%w: hostname %q contains a fragment: give the host alone",
			ErrInvalid, shown)
	}
	return checkPort(u)
}

func checkPort(u *url.URL) error {
	port := u.Port()
	if port == "" {
		if strings.HasSuffix(u.Host, ":") {
			return fmt.Errorf("%w: hostname %q ends with ':' but has no port: add the port "+
				"or remove the ':'", ErrInvalid, u.Redacted())
		}
		return nil
	}

	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("%w: hostname %q has port %q: use a port from 1 to 65535",
			ErrInvalid, u.Redacted(), port)
	}
	return nil
}

// defaultScheme returns http for local hosts and https for every other host.
func defaultScheme(host string) string {
	if IsLocalHost(host) {
		return "http"
	}
	return "https"
}

// IsLocalHost reports whether host, without a port, names this machine: "localhost", a name
// ending in ".localhost", an address in 127.0.0.0/8, or ::1. Such hosts are reached over http.
func IsLocalHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}

	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// redactUserinfo hides everything before '@' in a host value that failed to parse, so that a
// password never reaches an error message.
func redactUserinfo(value string) string {
	at := strings.LastIndex(value, "@")
	if at < 0 {
		return value
	}

	start := strings.Index(value, "://")
	if start < 0 {
		start = 0
	} else {
		start += len("://")
	}
	if at < start {
		return value
	}
	return value[:start] + "xxxxx" + value[at:]
}

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
