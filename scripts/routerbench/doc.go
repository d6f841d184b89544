// Command routerbench measures the spacedev router against a bare [httputil.ReverseProxy],
// both in front of the same loopback Micro, with loadgen as the client in a process of its
// own.
//
//	go build -o /tmp/loadgen ./scripts/loadgen
//	go run ./scripts/routerbench -loadgen /tmp/loadgen -n 20000 -count 10 > load.txt
//
// It starts, all on 127.0.0.1:
//
//   - the Micro: an HTTP server that responds to every request with a small JSON body;
//   - "direct": no proxy, loadgen calls the Micro itself;
//   - "bare": an httputil.ReverseProxy whose Rewrite sets the Micro's URL and the
//     X-Forwarded-* headers, with the same transport settings as spacedev's proxies;
//   - "router-N" for each N of -micros: the router as "spacedev up" builds it, with N Micros
//     whose handlers all proxy to the one Micro, authentication on and an access log.
//
// Each target is served by its own [http.Server]. Every request is GET /items/42 with the
// app's key in X-API-Key; the path belongs to the primary Micro, so the router compares it
// with every other Micro's prefix first. For each of -count rounds, routerbench runs loadgen
// once against each target at each concurrency of -conns, and prints loadgen's line, one
// Go benchmark line per run, such as
//
//	BenchmarkLoad/proxy=router-1/conns=64	20000	61234 ns/op	16330 req/s	...
//
// so that benchstat can summarise the rounds. Every run is bounded by -n requests and by
// loadgen's -timeout, and routerbench stops by itself when the last run ends.
package main
