package main

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPercentile(t *testing.T) {
	t.Parallel()
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value p50", []time.Duration{7}, 50, 7},
		{"one value p99", []time.Duration{7}, 99, 7},
		{"two values p50", []time.Duration{1, 2}, 50, 1},
		{"two values p99", []time.Duration{1, 2}, 99, 2},
		{"hundred p50", hundred, 50, 50 * time.Millisecond},
		{"hundred p99", hundred, 99, 99 * time.Millisecond},
		{"hundred p100", hundred, 100, 100 * time.Millisecond},
		{"hundred p0", hundred, 0, time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, percentile(tt.sorted, tt.p))
		})
	}
}

func TestReportWrite(t *testing.T) {
	t.Parallel()
	cfg := config{name: "BenchmarkLoad/proxy=bare/conns=2", concurrency: 2}
	o := outcome{
		latencies: []time.Duration{4 * time.Millisecond, time.Millisecond, 3 * time.Millisecond,
			2 * time.Millisecond},
		sent:    5,
		failed:  1,
		elapsed: 10 * time.Millisecond,
	}
	r := newReport(cfg, o, 2)

	var bench bytes.Buffer
	require.NoError(t, r.write(&bench, formatBench))
	assert.Equal(t, "BenchmarkLoad/proxy=bare/conns=2\t5\t2000000 ns/op\t500 req/s\t"+
		"2000000 p50-ns\t4000000 p99-ns\t1 errors\t2 new-conns\n", bench.String())

	var out bytes.Buffer
	require.NoError(t, r.write(&out, formatJSON))
	var decoded report
	require.NoError(t, json.Unmarshal(out.Bytes(), &decoded))
	assert.Equal(t, r, decoded)
	assert.Equal(t, int64(2_000_000), decoded.P50NS)
	assert.Equal(t, 500.0, decoded.RequestsPerSecond)
}
