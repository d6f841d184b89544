package spacefile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacefile"
)

// threeMicros has a primary at ./web and two more Micros at ./api and ./jobs, whose src lines
// are 10 and 14.
const threeMicros = `v: 0
micros:
  - name: web
    src: ./web
    engine: static
    serve: dist
    primary: true

  - name: api
    src: ./api
    engine: custom

  - name: jobs
    src: ./jobs
    engine: custom
`

// project writes a project directory with the given Spacefile and folders.
func project(t *testing.T, text string, folders ...string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Spacefile"), []byte(text), 0o600))
	for _, folder := range folders {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, folder), 0o700))
	}
	return dir
}

func loadProblems(t *testing.T, dir string) (*spacefile.ValidationError, error) {
	t.Helper()
	sf, err := spacefile.Load(dir)
	require.Error(t, err)
	assert.Nil(t, sf)
	var verr *spacefile.ValidationError
	require.True(t, errors.As(err, &verr), "error %T is not a *ValidationError", err)
	return verr, err
}

func TestLoad(t *testing.T) {
	t.Parallel()
	dir := project(t, threeMicros, "web", "api", "jobs")
	sf, err := spacefile.Load(dir)
	require.NoError(t, err)
	assert.Equal(t, dir, sf.Dir)
	require.Len(t, sf.Micros, 3)
	assert.Equal(t, "/api", sf.Micros[1].Path)
	assert.Equal(t, filepath.Join("web", "dist"), sf.Micros[0].ServeDir())
}

func TestLoadRelativeDirIsMadeAbsolute(t *testing.T) {
	dir := project(t, threeMicros, "web", "api", "jobs")
	t.Chdir(dir)
	sf, err := spacefile.Load(".")
	require.NoError(t, err)
	assert.Equal(t, dir, sf.Dir)
}

func TestLoadReportsMissingSrc(t *testing.T) {
	t.Parallel()
	dir := project(t, threeMicros, "api")
	verr, err := loadProblems(t, dir)
	assertProblems(t, verr.Problems, []wantProblem{
		{14, "jobs", "src", `"./jobs" does not exist`},
	})
	assert.Contains(t, verr.Problems[0].Message, filepath.Join(dir, "jobs"))
	assert.Equal(t, filepath.Join(dir, "Spacefile"), verr.File)
	assert.Contains(t, err.Error(), filepath.Join(dir, "Spacefile")+":14: micro \"jobs\"")
}

func TestLoadSkipsPrimarySrc(t *testing.T) {
	t.Parallel()
	dir := project(t, threeMicros, "api", "jobs")
	sf, err := spacefile.Load(dir)
	require.NoError(t, err, "the primary's src is not checked, as in the space CLI")
	assert.Equal(t, "./web", sf.Primary().Src)
}

func TestLoadReportsSrcThatIsAFile(t *testing.T) {
	t.Parallel()
	dir := project(t, threeMicros, "jobs")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "api"), []byte("x"), 0o600))
	verr, _ := loadProblems(t, dir)
	assertProblems(t, verr.Problems, []wantProblem{
		{10, "api", "src", "is a file, not a folder"},
	})
}

func TestLoadReportsParseAndSrcProblemsTogether(t *testing.T) {
	t.Parallel()
	text := threeMicros + "    run: 8080\n"
	dir := project(t, text, "api")
	verr, _ := loadProblems(t, dir)
	assertProblems(t, verr.Problems, []wantProblem{
		{14, "jobs", "src", "does not exist"},
		{16, "jobs", "run", "must be a string"},
	})
}

func TestLoadMissingSpacefile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := spacefile.Load(dir)
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.Contains(t, err.Error(), filepath.Join(dir, "Spacefile")+" not found")
}

func TestLoadSpacefileWithWrongCase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "spacefile"), []byte(threeMicros),
		0o600))
	_, statErr := os.Stat(filepath.Join(dir, "Spacefile"))
	sf, err := spacefile.Load(dir)
	if statErr == nil {
		// The file system ignores case, so the wrong name opens like the right one.
		require.NoError(t, err)
		assert.Len(t, sf.Micros, 3)
		return
	}
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.Contains(t, err.Error(), "but spacefile is there; rename it to Spacefile")
}

func TestLoadMissingDir(t *testing.T) {
	t.Parallel()
	_, err := spacefile.Load(filepath.Join(t.TempDir(), "missing"))
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
}

func TestLoadEmptyDir(t *testing.T) {
	t.Parallel()
	_, err := spacefile.Load("")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `Load(""): dir is empty`)
}

func TestLoadSpacefileIsAFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "Spacefile"), 0o700))
	_, err := spacefile.Load(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "spacefile: read "+filepath.Join(dir, "Spacefile"))
	var verr *spacefile.ValidationError
	assert.False(t, errors.As(err, &verr), "a read failure is not a validation error")
}
