package client

import (
	"net"
	"net/http"
	"net/url"
	"time"
)

// newTransport returns the transport of a Client built without WithHTTPClient. It matches
// http.DefaultTransport except in two ways. Every call goes to the app's one host, so that host
// may keep all 100 idle connections. net/http's default of 2 per host would close most
// connections under concurrent calls and open new ones. And proxies from the environment apply
// only to https, so that the key never crosses a proxy in clear text.
func newTransport() *http.Transport {
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 proxyForHTTPS,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// proxyForHTTPS returns the proxy that the environment names for https requests, and no proxy
// for http requests.
func proxyForHTTPS(req *http.Request) (*url.URL, error) {
	if req.URL.Scheme != "https" {
		return nil, nil
	}
	return http.ProxyFromEnvironment(req)
}
