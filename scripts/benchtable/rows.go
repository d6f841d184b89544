package main

import "fmt"

// Targets of the kit, each a ratio to the alternative a user would pick instead.
const (
	clientMaxRatio     = 1.10 // the client costs at most 1.10x raw net/http
	keyCheckUnderRatio = 2.0  // the key check costs under 2x the bare handler
	spacetestSpeedup   = 5.0  // spacetest is at least 5x faster than the socket route
	spacetestMaxRatio  = 3.0  // and within 3x of a direct call of the handler
	routerMaxRatio     = 1.2  // the router costs at most 1.2x a bare ReverseProxy
)

// sections returns every table of the page, in page order.
func sections() []section {
	return []section{
		clientSection(),
		clientConcurrentSection(),
		clientBodySection(),
		middlewareSection(),
		publicRoutesSection(),
		spacetestSection(),
		loadSection(1),
		loadSection(64),
		spacedevSection(),
		loadScaleSection(),
		routerScaleSection(),
		spacefileSection(),
	}
}

func clientSection() section {
	rows := []row{}
	for _, call := range []struct{ label, bench string }{
		{"GET small JSON", "GetSmallJSON"},
		{"POST 64 KiB", "Post64KiB"},
	} {
		client, netHTTP := call.bench+"/Client", call.bench+"/NetHTTP"
		retryable := call.bench + "/RetryableHTTP"
		rows = append(rows,
			row{call.label + ": Client vs net/http", "client", client, "sec/op", netHTTP,
				atMost(clientMaxRatio)},
			row{call.label + ": Client vs retryablehttp", "client", client, "sec/op",
				retryable, nil},
			row{call.label + ": retryablehttp vs net/http", "client", retryable, "sec/op",
				netHTTP, nil},
			row{call.label + ": Client vs net/http, CPU of both ends", "client", client,
				"cpu-sec/op", netHTTP, nil},
			row{call.label + ": Client vs net/http, allocations", "client", client,
				"allocs/op", netHTTP, nil},
		)
	}
	return section{"Client (baselines: net/http and retryablehttp, same loopback server)", rows}
}

func clientConcurrentSection() section {
	return section{"Client: 10,000 calls from 64 goroutines (baseline: http.Client with " +
		"http.DefaultTransport's settings)", []row{
		{"new connections per 10,000 calls", "client", "ConcurrentCalls/Client",
			"new-conns/op", "ConcurrentCalls/NetHTTP", nil},
		{"time per call", "client", "ConcurrentCalls/Client", "sec/call",
			"ConcurrentCalls/NetHTTP", nil},
	}}
}

func clientBodySection() section {
	var rows []row
	for _, size := range []string{"1KiB", "16KiB", "256KiB", "4MiB"} {
		rows = append(rows, row{"GET " + size + " body: Client vs net/http", "client",
			"GetBody/" + size + "/Client", "sec/op", "GetBody/" + size + "/NetHTTP",
			atMost(clientMaxRatio)})
	}
	return section{"Scale: client response bodies from 1 KiB to 4 MiB", rows}
}

func middlewareSection() section {
	return section{"Middleware Auth (baseline: the bare handler, through an " +
		"httptest.ResponseRecorder)", []row{
		{"accept with API key", "middleware", "Auth/api_key", "sec/op", "Auth/bare",
			under(keyCheckUnderRatio)},
		// The admitted request carries its AuthInfo in a new context, which costs two
		// allocations; the key check itself has the zero-allocation target below.
		{"accept with API key, allocations", "middleware", "Auth/api_key", "allocs/op",
			"Auth/bare", nil},
		{"key check alone, allocations", "middleware", "KeyCheck/hashed_constant_time",
			"allocs/op", "", zero()},
		{"key check alone vs plain ==", "middleware", "KeyCheck/hashed_constant_time",
			"sec/op", "KeyCheck/plain_equal", nil},
		{"key check alone vs subtle.ConstantTimeCompare", "middleware",
			"KeyCheck/hashed_constant_time", "sec/op", "KeyCheck/raw_constant_time", nil},
		{"accept with session", "middleware", "Auth/session", "sec/op", "Auth/bare", nil},
		{"accept on public route", "middleware", "Auth/public_route", "sec/op", "Auth/bare",
			nil},
		{"rejected request (401)", "middleware", "Auth/rejected", "sec/op", "Auth/bare", nil},
	}}
}

func publicRoutesSection() section {
	var rows []row
	for _, n := range []int{1, 10, 100} {
		compiled := fmt.Sprintf("PublicRoutes/compiled/%d", n)
		rows = append(rows,
			row{fmt.Sprintf("%d patterns vs one regexp per pattern", n), "middleware",
				compiled, "sec/op", fmt.Sprintf("PublicRoutes/regexp/%d", n), nil},
			row{fmt.Sprintf("%d patterns vs 1 pattern", n), "middleware", compiled, "sec/op",
				"PublicRoutes/compiled/1", nil},
		)
	}
	return section{"Scale: public-route matching, a path that no pattern matches", rows}
}

func spacetestSection() section {
	return section{"spacetest: GET to a Micro in process (baselines: httptest.Server with " +
		"httputil.ReverseProxy, and a direct call of the handler with a ResponseRecorder)", []row{
		{"public route vs httptest.Server + ReverseProxy", "spacetest", "Get/spacetest",
			"sec/op", "Get/httptest_reverse_proxy", fasterBy(spacetestSpeedup)},
		{"public route vs direct handler call", "spacetest", "Get/spacetest", "sec/op",
			"Get/direct_recorder", atMost(spacetestMaxRatio)},
		{"with API key vs httptest.Server + ReverseProxy", "spacetest", "Get/spacetest_api_key",
			"sec/op", "Get/httptest_reverse_proxy", fasterBy(spacetestSpeedup)},
		{"with API key vs direct handler call", "spacetest", "Get/spacetest_api_key", "sec/op",
			"Get/direct_recorder", atMost(spacetestMaxRatio)},
		{"public route, allocations vs httptest.Server + ReverseProxy", "spacetest",
			"Get/spacetest", "allocs/op", "Get/httptest_reverse_proxy", nil},
	}}
}

// spacedevSection compares the go test benchmark of spacedev's handler, client and servers in
// one process, with the loadgen runs of loadSection.
func spacedevSection() section {
	var rows []row
	for _, conns := range []int{1, 64} {
		rows = append(rows, row{fmt.Sprintf("%d connection(s), time per request", conns),
			"spacedev", fmt.Sprintf("Proxy/spacedev/conns=%d", conns), "sec/op",
			fmt.Sprintf("Proxy/bare/conns=%d", conns), atMost(routerMaxRatio)})
	}
	return section{"spacedev server vs bare ReverseProxy, in one process (go test, client " +
		"in the same process)", rows}
}

func loadSection(conns int) section {
	name := func(proxy string) string {
		return fmt.Sprintf("Load/proxy=%s/conns=%d", proxy, conns)
	}
	router, bare := name("router-1"), name("bare")
	return section{fmt.Sprintf("spacedev router vs bare ReverseProxy, %d connection(s), "+
		"loadgen in its own process", conns), []row{
		{"time per request (1 / throughput)", "load", router, "sec/op", bare,
			atMost(routerMaxRatio)},
		{"throughput", "load", router, "req/s", bare, nil},
		{"p50 latency", "load", router, "p50-sec", bare, atMost(routerMaxRatio)},
		{"p99 latency", "load", router, "p99-sec", bare, atMost(routerMaxRatio)},
		{"bare ReverseProxy vs no proxy: time per request", "load", bare, "sec/op",
			name("direct"), nil},
	}}
}

func loadScaleSection() section {
	var rows []row
	for _, conns := range []int{1, 64} {
		bare := fmt.Sprintf("Load/proxy=bare/conns=%d", conns)
		for n := 1; n <= 5; n++ {
			rows = append(rows, row{fmt.Sprintf("%d Micro(s), %d connection(s)", n, conns),
				"load", fmt.Sprintf("Load/proxy=router-%d/conns=%d", n, conns), "sec/op", bare,
				atMost(routerMaxRatio)})
		}
	}
	return section{"Scale: spacedev router with 1 to 5 Micros vs bare ReverseProxy, " +
		"time per request", rows}
}

func routerScaleSection() section {
	var rows []row
	for n := 1; n <= 5; n++ {
		rows = append(rows, row{fmt.Sprintf("%d Micro(s)", n), "router",
			fmt.Sprintf("Router/micros=%d", n), "sec/op", "Router/direct", nil})
	}
	return section{"Scale: router in process with 1 to 5 Micros (baseline: the handler " +
		"called directly)", rows}
}

func spacefileSection() section {
	return section{"Spacefile (baseline: yaml.Unmarshal into a map, no checks)", []row{
		{"Parse", "spacefile", "Parse", "sec/op", "YAMLUnmarshal", nil},
		{"Parse, allocations", "spacefile", "Parse", "allocs/op", "YAMLUnmarshal", nil},
	}}
}
