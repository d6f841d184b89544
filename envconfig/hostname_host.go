package envconfig

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// DNS limits on a host name, from RFC 1035 section 2.3.4: a name of at most 253 bytes in its
// text form, without the trailing dot, made of labels of 1 to 63 bytes.
const (
	maxHostNameBytes  = 253
	maxHostLabelBytes = 63
)

// checkUnbracketedIPv6 rejects a value whose host part holds more than one ':' outside
// brackets, such as "::1". A URL parser reads "::1" as the host ":" with the port ":1", or
// as no valid host at all, and either error would hide the fix, which is to add brackets.
func checkUnbracketedIPv6(value string) error {
	host := hostPart(value)
	if strings.HasPrefix(host, "[") || strings.Count(host, ":") < 2 {
		return nil
	}

	shown := shownValue(value)
	if addr, err := netip.ParseAddr(host); err == nil && addr.Is6() {
		return fmt.Errorf("%w: hostname %q is an IPv6 address without brackets: bracket "+
			"IPv6 addresses: [%s] or, with a port, [%s]:4200", ErrInvalid, shown, addr, addr)
	}
	return fmt.Errorf("%w: hostname %q contains more than one ':' outside brackets: bracket "+
		"IPv6 addresses: [::1]:4200, and give at most one port", ErrInvalid, shown)
}

// hostPart returns the part of value between the scheme and the path, without the user
// information: "[::1]:4200" for "http://user@[::1]:4200/x".
func hostPart(value string) string {
	if _, rest, ok := strings.Cut(value, "://"); ok {
		value = rest
	}
	if end := strings.IndexAny(value, "/?#"); end >= 0 {
		value = value[:end]
	}
	if at := strings.LastIndex(value, "@"); at >= 0 {
		value = value[at+1:]
	}
	return value
}

// checkHostName checks the host of u, which ParseHostname parsed from value: an address in brackets must be an IPv6
// address, and any other host must be a DNS name within DNS's limits. A trailing dot, which
// marks a fully qualified name, is rejected, because the router and the browser compare the
// host as text and "notes.deta.app." is not "notes.deta.app".
func checkHostName(value string, u *url.URL) error {
	shown := shownValue(value)
	host := u.Hostname()
	if strings.HasPrefix(u.Host, "[") {
		addr, err := netip.ParseAddr(host)
		if err != nil || !addr.Is6() {
			return fmt.Errorf("%w: hostname %q has %q in brackets, which is not an IPv6 "+
				"address: put only IPv6 addresses in brackets, such as [::1]:4200",
				ErrInvalid, shown, host)
		}
		return nil
	}

	if len(host) > maxHostNameBytes {
		return fmt.Errorf("%w: hostname %q has a host of %d bytes: a DNS name has at most "+
			"%d bytes", ErrInvalid, shown, len(host), maxHostNameBytes)
	}
	if host == "." || strings.HasPrefix(host, ".") || strings.Contains(host, "..") {
		return fmt.Errorf("%w: hostname %q contains an empty label: remove the extra '.', "+
			"as in notes-1-a1b2.deta.app", ErrInvalid, shown)
	}
	if strings.HasSuffix(host, ".") {
		return fmt.Errorf("%w: hostname %q ends with '.': remove the trailing '.'",
			ErrInvalid, shown)
	}

	for label := range strings.SplitSeq(host, ".") {
		if len(label) > maxHostLabelBytes {
			return fmt.Errorf("%w: hostname %q has the label %q of %d bytes: a DNS label "+
				"has at most %d bytes", ErrInvalid, shown, excerpt(label), len(label),
				maxHostLabelBytes)
		}
		if i := strings.IndexFunc(label, invalidHostRune); i >= 0 {
			return fmt.Errorf("%w: hostname %q contains %q: a host name has only ASCII "+
				"letters, digits, '-' and '_' (write an internationalized name in its "+
				"xn-- form)", ErrInvalid, shown, []rune(label[i:])[0])
		}
	}
	return nil
}

func invalidHostRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
		return false
	}
	return true
}

// maxShownRunes bounds the part of a hostname that an error quotes, so that a value of
// megabytes does not make an error of megabytes.
const maxShownRunes = 64

// shownValue returns value as an error quotes it: without user information, and cut to its
// first maxShownRunes runes, followed by "…", when it is longer.
func shownValue(value string) string {
	value = redactUserinfo(value)
	runes := []rune(value)
	if len(runes) <= maxShownRunes {
		return value
	}
	return string(runes[:maxShownRunes]) + "…"
}

// excerpt returns the first 16 runes of a long label followed by "…".
func excerpt(label string) string {
	const shown = 16
	runes := []rune(label)
	if len(runes) <= shown {
		return label
	}
	return string(runes[:shown]) + "…"
}
