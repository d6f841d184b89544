package spacefile_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacefile"
)

// A folder named like the Spacefile in another case, such as the spacefile package's folder in
// this repository, is not a misnamed Spacefile.
func TestLoadIgnoresFolderNamedSpacefile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "spacefile"), 0o700))
	if _, err := os.Stat(filepath.Join(dir, "Spacefile")); err == nil {
		t.Skip("the file system ignores case, so the folder opens as the Spacefile")
	}

	_, err := spacefile.Load(dir)
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.NotContains(t, err.Error(), "rename it")
	assert.Contains(t, err.Error(), filepath.Join(dir, "Spacefile")+" not found; create it, "+
		"or run the command in the project root or give it the project's folder")
}
