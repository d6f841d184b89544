package spacefile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacefile"
)

// FuzzParse checks that Parse never panics, that every problem it reports has a line of the
// file and a bounded text, and that every Spacefile it accepts keeps the invariants that the
// router relies on.
func FuzzParse(f *testing.F) {
	entries, err := os.ReadDir(conformanceDir)
	require.NoError(f, err)
	for _, e := range entries {
		if data, err := os.ReadFile(filepath.Join(conformanceDir, e.Name(), "Spacefile")); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(notesApp))
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := spacefile.Parse(data)
		if err != nil {
			requireProblemsHaveLines(t, err, yamlLines(data))
			require.Nil(t, sf)
			return
		}
		requireRoutable(t, sf)
	})
}

// yamlLines returns the number of lines in data as go.yaml.in/yaml/v3 counts them, which
// ends a line at "\r\n", "\r", "\n", and also at NEL, LS and PS as YAML 1.1 does.
func yamlLines(data []byte) int {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	breaks := 0
	for _, sep := range []string{"\n", "\r", "\u0085", "\u2028", "\u2029"} {
		breaks += strings.Count(text, sep)
	}
	return breaks + 1
}

// maxFuzzProblemBytes bounds the text of one problem: the longest fixed message with four
// quoted excerpts of 64 runes, each rune printed as an escape of up to 10 bytes.
const maxFuzzProblemBytes = 4096

func requireProblemsHaveLines(t *testing.T, err error, lines int) {
	var verr *spacefile.ValidationError
	require.True(t, errors.As(err, &verr), "error %T is not a *ValidationError", err)
	require.NotEmpty(t, verr.Problems)
	for _, p := range verr.Problems {
		require.GreaterOrEqual(t, p.Line, 1, "problem without a line: %v", p)
		require.LessOrEqual(t, p.Line, lines, "problem after the last line: %v", p)
		require.NotEmpty(t, p.Message)
		require.LessOrEqual(t, len(p.String()), maxFuzzProblemBytes, "%.300s", p.String())
	}
}

// requireRoutable checks what a valid Spacefile guarantees: 1 to 5 Micros with unique names,
// exactly one primary at "/", unique non-primary paths and public routes that start with "/",
// and an interval for every action.
func requireRoutable(t *testing.T, sf *spacefile.Spacefile) {
	require.NotEmpty(t, sf.Micros)
	require.LessOrEqual(t, len(sf.Micros), 5)
	names, paths, primaries := map[string]bool{}, map[string]bool{}, 0
	for _, m := range sf.Micros {
		require.False(t, names[m.Name], "name %q twice", m.Name)
		names[m.Name] = true
		for _, a := range m.Actions {
			require.False(t, a.Interval.IsZero(), "action %q has no interval", a.ID)
		}
		for _, route := range m.PublicRoutes {
			require.True(t, strings.HasPrefix(route, "/"), "route %q", route)
		}
		require.False(t, paths[m.Path], "path %q twice", m.Path)
		paths[m.Path] = true
		if m.Primary {
			primaries++
			require.Equal(t, "/", m.Path)
			continue
		}
		require.True(t, strings.HasPrefix(m.Path, "/") && len(m.Path) > 1, "path %q", m.Path)
	}
	require.Equal(t, 1, primaries)
}
