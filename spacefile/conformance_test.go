package spacefile_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacefile"
)

const conformanceDir = "testdata/conformance"

// deliberateDifferences maps each conformance case whose verdict the package reverses to the
// reason. The test expects the reversed verdict, so a change in either direction fails.
var deliberateDifferences = map[string]string{
	"rule-path-root-on-normal-micro": "path \"/\" on a non-primary micro normalises to an " +
		"empty prefix, which would send every request of the primary micro to this one; " +
		"the space CLI accepted it, the package rejects it and names the path",
}

// expectation is a case's expect.json.
type expectation struct {
	Valid         bool   `json:"valid"`
	Source        string `json:"source"`
	Rule          string `json:"rule"`
	ErrorContains string `json:"error_contains"`
	Micros        []struct {
		Name    string `json:"name"`
		Path    string `json:"path"`
		Primary bool   `json:"primary"`
	} `json:"micros"`
}

func TestConformance(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(conformanceDir)
	require.NoError(t, err)
	cases := make(map[string]bool)
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		cases[e.Name()] = true
		t.Run(e.Name(), func(t *testing.T) {
			t.Parallel()
			runConformanceCase(t, e.Name())
		})
	}
	require.NotEmpty(t, cases, "no cases under %s", conformanceDir)
	for name := range deliberateDifferences {
		assert.True(t, cases[name], "deliberate difference %q names no case", name)
	}
}

func runConformanceCase(t *testing.T, name string) {
	dir := filepath.Join(conformanceDir, name)
	data, err := os.ReadFile(filepath.Join(dir, "Spacefile"))
	require.NoError(t, err)
	raw, err := os.ReadFile(filepath.Join(dir, "expect.json"))
	require.NoError(t, err)
	var want expectation
	require.NoError(t, json.Unmarshal(raw, &want))

	sf, err := spacefile.Parse(data)
	if reason, ok := deliberateDifferences[name]; ok {
		t.Logf("deliberate difference: %s", reason)
		require.Error(t, err, "the package should reject this case")
		assert.Contains(t, err.Error(), "path")
		return
	}
	if !want.Valid {
		requireInvalid(t, err, want)
		return
	}
	require.NoError(t, err, "rule: %s", want.Rule)
	require.Len(t, sf.Micros, len(want.Micros))
	for i, w := range want.Micros {
		assert.Equal(t, w.Name, sf.Micros[i].Name, "micros[%d].name", i)
		assert.Equal(t, w.Primary, sf.Micros[i].Primary, "micros[%d].primary", i)
		assert.Equal(t, w.Path, sf.Micros[i].Path, "micros[%d].path", i)
	}
}

func requireInvalid(t *testing.T, err error, want expectation) {
	t.Helper()
	require.Error(t, err, "rule: %s", want.Rule)
	var verr *spacefile.ValidationError
	require.True(t, errors.As(err, &verr), "error %T is not a *ValidationError", err)
	require.NotEmpty(t, verr.Problems)
	for _, p := range verr.Problems {
		assert.GreaterOrEqual(t, p.Line, 1, "problem %v has no line", p)
	}
	if want.ErrorContains != "" {
		assert.Contains(t, strings.ToLower(err.Error()), strings.ToLower(want.ErrorContains))
	}
}
