package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		list    string
		want    []int
		wantErr bool
	}{
		{"1,4", []int{1, 4}, false},
		{" 5 , 1 ", []int{5, 1}, false},
		{"3", []int{3}, false},
		{"", nil, true},
		{"0", nil, true},
		{"6", nil, true},
		{"1,1", nil, true},
		{"1,,2", nil, true},
		{"two", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.list, func(t *testing.T) {
			t.Parallel()
			got, err := parseCounts("-micros", tt.list, 5)
			if tt.wantErr {
				require.Error(t, err)
				assert.Contains(t, err.Error(), `-micros "`+tt.list+`": use distinct numbers `+
					"from 1 to 5")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseFlags(t *testing.T) {
	t.Parallel()
	loadgen := filepath.Join(t.TempDir(), "loadgen")
	require.NoError(t, os.WriteFile(loadgen, nil, 0o755))

	cfg, err := parseFlags([]string{"-loadgen", loadgen, "-n", "300", "-warmup", "10",
		"-count", "2", "-conns", "1,8", "-micros", "2,4", "-timeout", "30s"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, config{loadgen: loadgen, requests: 300, warmup: 10, rounds: 2,
		conns: []int{1, 8}, micros: []int{2, 4}, runTimeout: 30 * time.Second}, cfg)
}

func TestParseFlagsInvalid(t *testing.T) {
	t.Parallel()
	loadgen := filepath.Join(t.TempDir(), "loadgen")
	require.NoError(t, os.WriteFile(loadgen, nil, 0o755))
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no loadgen", nil, "-loadgen is missing"},
		{"loadgen not found", []string{"-loadgen", loadgen + "-nope"}, "no such file"},
		{"zero requests", []string{"-loadgen", loadgen, "-n", "0"}, "-n 0: use 1 to 1000000"},
		{"negative warmup", []string{"-loadgen", loadgen, "-warmup", "-1"}, "-warmup -1"},
		{"zero rounds", []string{"-loadgen", loadgen, "-count", "0"}, "-count 0: use 1 to 100"},
		{"conns", []string{"-loadgen", loadgen, "-conns", "2000"}, `-conns "2000"`},
		{"micros", []string{"-loadgen", loadgen, "-micros", "6"}, `-micros "6"`},
		{"timeout", []string{"-loadgen", loadgen, "-timeout", "0s"}, "-timeout 0s"},
		{"argument", []string{"-loadgen", loadgen, "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseFlags(tt.args, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}
