package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testStats() map[string]stats {
	return map[string]stats{"client": {
		"sec/op": {
			"Get/Client":  {median: 0.000055, ci: "3%"},
			"Get/NetHTTP": {median: 0.00005, ci: "2%"},
		},
		"allocs/op": {
			"Get/Client":  {median: 0, ci: "0%"},
			"Get/NetHTTP": {median: 12, ci: "0%"},
		},
	}}
}

func TestRowFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		row  row
		want string
	}{
		{"met", row{"GET", "client", "Get/Client", "sec/op", "Get/NetHTTP", atMost(1.10)},
			"| GET | 55µs/op ± 3% | 50µs/op ± 2% | 1.10x | ≤ 1.10x | yes |\n"},
		{"missed", row{"GET", "client", "Get/Client", "sec/op", "Get/NetHTTP", atMost(1.05)},
			"| GET | 55µs/op ± 3% | 50µs/op ± 2% | 1.10x | ≤ 1.05x | **no** |\n"},
		{"no target", row{"GET", "client", "Get/Client", "sec/op", "Get/NetHTTP", nil},
			"| GET | 55µs/op ± 3% | 50µs/op ± 2% | 1.10x |  |  |\n"},
		{"no baseline", row{"allocs", "client", "Get/Client", "allocs/op", "", zero()},
			"| allocs | 0 allocs/op ± 0% | | | 0 | yes |\n"},
		{"zero value", row{"allocs", "client", "Get/Client", "allocs/op", "Get/NetHTTP", nil},
			"| allocs | 0 allocs/op ± 0% | 12 allocs/op ± 0% | 0.00x |  |  |\n"},
		{"row not measured", row{"POST", "client", "Post/Client", "sec/op", "Get/NetHTTP",
			atMost(1.10)}, "| POST | not measured (client Post/Client) | | | ≤ 1.10x | |\n"},
		{"baseline not measured", row{"GET", "client", "Get/Client", "sec/op", "Get/Other",
			nil}, "| GET | 55µs/op ± 3% | not measured (Get/Other) | |  | |\n"},
		{"package not measured", row{"GET", "spacetest", "Get/Client", "sec/op", "", nil},
			"| GET | not measured (spacetest Get/Client) | | |  | |\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.row.format(testStats()))
		})
	}
}

func TestTargets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		target          *target
		value, baseline float64
		want            bool
	}{
		{"at most, equal", atMost(1.2), 1.2, 1, true},
		{"at most, above", atMost(1.2), 1.21, 1, false},
		{"at most, zero baseline", atMost(1.2), 1, 0, false},
		{"under, equal", under(2), 2, 1, false},
		{"under, below", under(2), 1.99, 1, true},
		{"faster by, exactly", fasterBy(5), 1, 5, true},
		{"faster by, not enough", fasterBy(5), 1, 4.9, false},
		{"faster by, zero value", fasterBy(5), 0, 5, false},
		{"same, equal", sameAsBaseline(), 10, 10, true},
		{"same, more", sameAsBaseline(), 12, 10, false},
		{"zero, zero", zero(), 0, 0, true},
		{"zero, one", zero(), 1, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.target.met(tt.value, tt.baseline))
		})
	}
}

func TestFormatValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value float64
		unit  string
		want  string
	}{
		{0.000000512, "sec/op", "512ns/op"},
		{0.0000512, "sec/op", "51.2µs/op"},
		{0.0123, "p99-sec", "12.3ms p99"},
		{0.0000061, "cpu-sec/op", "6.1µs cpu/op"},
		{0.000002, "sec/call", "2µs/call"},
		{2.5, "sec/op", "2.5s/op"},
		{512, "B/op", "512B/op"},
		{7424, "B/op", "7.25KiB/op"},
		{3 << 20, "B/s", "3MiB/s"},
		{91, "new-conns/op", "91 new-conns/op"},
		{16330.4, "req/s", "16330 req/s"},
		{0.5, "errors", "0.5 errors"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, formatValue(tt.value, tt.unit))
		})
	}
}

func TestRunWritesEverySection(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "client.csv"), []byte(benchstatCSV),
		0o644))
	var stdout, stderr bytes.Buffer
	require.NoError(t, run([]string{"-dir", dir}, &stdout, &stderr))

	out := stdout.String()
	for _, s := range sections() {
		assert.Contains(t, out, "### "+s.title+"\n")
	}
	assert.Contains(t, out, "| GET small JSON: Client vs net/http | 51.2µs/op ± 3% | "+
		"48.8µs/op ± 2% | 1.05x | ≤ 1.10x | yes |\n")
	assert.Contains(t, out, "| accept with API key | not measured (middleware Auth/api_key)")
}

func TestRunWithoutFiles(t *testing.T) {
	t.Parallel()
	err := run([]string{"-dir", t.TempDir()}, &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "has no .csv files")
}
