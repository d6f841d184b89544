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

// FuzzParse checks that Parse never panics, that every problem it reports has a line, and
// that every Spacefile it accepts keeps the invariants that the router relies on.
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
			requireProblemsHaveLines(t, err)
			require.Nil(t, sf)
			return
		}
		requireRoutable(t, sf)
	})
}

func requireProblemsHaveLines(t *testing.T, err error) {
	var verr *spacefile.ValidationError
	require.True(t, errors.As(err, &verr), "error %T is not a *ValidationError", err)
	require.NotEmpty(t, verr.Problems)
	for _, p := range verr.Problems {
		require.GreaterOrEqual(t, p.Line, 1, "problem without a line: %v", p)
		require.NotEmpty(t, p.Message)
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
