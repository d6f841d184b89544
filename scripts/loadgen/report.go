package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"time"
)

// report is the result of a run, in the units of its JSON form.
type report struct {
	Name              string  `json:"name"`
	Requests          int     `json:"requests"` // sent, failed ones included
	Concurrency       int     `json:"concurrency"`
	Errors            int     `json:"errors"`
	ElapsedNS         int64   `json:"elapsed_ns"`
	NSPerRequest      float64 `json:"ns_per_request"` // ElapsedNS / Requests
	RequestsPerSecond float64 `json:"requests_per_second"`
	P50NS             int64   `json:"p50_ns"` // of the requests that succeeded; 0 without any
	P99NS             int64   `json:"p99_ns"`
	NewConnections    int64   `json:"new_connections"` // opened after the warm-up
}

func newReport(cfg config, o outcome, dials int64) report {
	r := report{
		Name:           cfg.name,
		Requests:       o.sent,
		Concurrency:    cfg.concurrency,
		Errors:         o.failed,
		ElapsedNS:      o.elapsed.Nanoseconds(),
		NewConnections: dials,
	}
	if o.sent > 0 && o.elapsed > 0 {
		r.NSPerRequest = float64(r.ElapsedNS) / float64(o.sent)
		r.RequestsPerSecond = float64(o.sent) / o.elapsed.Seconds()
	}
	slices.Sort(o.latencies)
	r.P50NS = percentile(o.latencies, 50).Nanoseconds()
	r.P99NS = percentile(o.latencies, 99).Nanoseconds()
	return r
}

// percentile returns the p-th percentile of sorted by the nearest-rank method: the smallest
// value that at least p percent of the values do not exceed. It returns 0 for no values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// write prints r in format: a Go benchmark line, whose ns/op is the wall time per request,
// or one JSON object.
func (r report) write(w io.Writer, format string) error {
	if format == formatJSON {
		return json.NewEncoder(w).Encode(r)
	}
	_, err := fmt.Fprintf(w, "%s\t%d\t%.0f ns/op\t%.0f req/s\t%d p50-ns\t%d p99-ns\t"+
		"%d errors\t%d new-conns\n", r.Name, r.Requests, r.NSPerRequest, r.RequestsPerSecond,
		r.P50NS, r.P99NS, r.Errors, r.NewConnections)
	return err
}
