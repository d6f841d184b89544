package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// benchstatCSV is the shape of "benchstat -format csv" output for one input file.
const benchstatCSV = `,client.txt,
,sec/op,CI
GetSmallJSON/Client-2,0.0000512,3%
GetSmallJSON/NetHTTP-2,0.0000488,2%
geomean,0.00005,

,client.txt,
,allocs/op,CI
GetSmallJSON/Client-2,71,0%
GetSmallJSON/NetHTTP-2,63,0%
geomean,67,

,load.txt,
,p99-sec,CI
Load/proxy=router-1/conns=64,0.012,∞
`

func TestParseStats(t *testing.T) {
	t.Parallel()
	s, err := parseStats(strings.NewReader(benchstatCSV))
	require.NoError(t, err)

	assert.Equal(t, stats{
		"sec/op": {
			"GetSmallJSON/Client":  {median: 0.0000512, ci: "3%"},
			"GetSmallJSON/NetHTTP": {median: 0.0000488, ci: "2%"},
		},
		"allocs/op": {
			"GetSmallJSON/Client":  {median: 71, ci: "0%"},
			"GetSmallJSON/NetHTTP": {median: 63, ci: "0%"},
		},
		"p99-sec": {
			"Load/proxy=router-1/conns=64": {median: 0.012, ci: "∞"},
		},
	}, s)
}

func TestParseStatsInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		csv     string
		wantErr string
	}{
		{"row before unit", "Parse-2,0.1,1%\n", `row "Parse-2" comes before any unit line`},
		{"median not a number", ",sec/op,CI\nParse-2,fast,1%\n", `median "fast" is not a number`},
		{"unclosed quote", ",sec/op,CI\n\"Parse-2,0.1,1%\n", "quote"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseStats(strings.NewReader(tt.csv))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}
