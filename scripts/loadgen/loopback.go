package main

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// checkLoopbackURL parses raw and returns it when it is an http URL whose host is localhost,
// an IPv4 address in 127.0.0.0/8 or ::1. Any other host is rejected, so that the load goes
// to this machine only.
func checkLoopbackURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("-url is missing: give a loopback URL such as " +
			"http://127.0.0.1:8080/")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("-url %q is invalid: %w", raw, err)
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("-url %q: scheme %q is not supported: use http", raw, u.Scheme)
	}
	if u.User != nil {
		return nil, fmt.Errorf("-url %q: remove the user information", raw)
	}
	if err := checkLoopbackHost(u.Hostname()); err != nil {
		return nil, fmt.Errorf("-url %q: %w", raw, err)
	}
	return u, nil
}

// checkLoopbackHost accepts localhost in any case, an IPv4 address in 127.0.0.0/8 and ::1.
// It rejects IPv6 zones and IPv4-mapped IPv6 addresses, which the rule does not need.
func checkLoopbackHost(host string) error {
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || addr.Zone() != "" || addr.Is4In6() || !addr.IsLoopback() {
		return fmt.Errorf("host %q is not a loopback address: use localhost, an address in "+
			"127.0.0.0/8 such as 127.0.0.1, or [::1]", host)
	}
	return nil
}

// requireLoopback is a [net.Dialer] Control function. It rejects a connection to any address
// outside 127.0.0.0/8 and ::1, such as an address that localhost resolved to.
func requireLoopback(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("dial %s %q: %w", network, address, err)
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || !addr.Unmap().IsLoopback() {
		return fmt.Errorf("dial %s %q: the address is not a loopback address, so loadgen "+
			"does not connect to it", network, address)
	}
	return nil
}
