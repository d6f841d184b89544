// Command loadgen sends a fixed number of HTTP GET requests at a fixed concurrency to one
// loopback URL. It prints the throughput, the median (p50) and 99th-percentile (p99) latency,
// the failed requests and the connections it opened, as a Go benchmark line or as JSON.
//
//	loadgen -url http://127.0.0.1:8080/items/42 -n 20000 -c 64
//
// It runs as a process of its own, so that its CPU time is not counted in the server's
// process. Each of the -c workers sends its requests one after another on its own connection:
// the transport keeps at most -c connections, all of them reused. A warm-up of -warmup
// requests opens the connections before the measured requests start.
//
// loadgen sends traffic to loopback addresses only. The URL's host must be localhost, an
// IPv4 address in 127.0.0.0/8 or [::1], and every connection it dials is checked again after
// name resolution. It follows no redirects and uses no HTTP proxy. The run stops after -n
// requests, or after -timeout, whichever comes first.
//
// The key for X-API-Key is read from the environment variable that -api-key-env names, so
// that it stays out of the process list. loadgen never prints it.
//
// The exit status is 0 when every request got the expected status, 1 when any request failed
// or the run hit -timeout, and 2 for invalid flags.
package main
