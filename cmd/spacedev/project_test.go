//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runSpacedevIn runs a spacedev command in the working folder cwd to its end and returns its
// standard error and exit code.
func runSpacedevIn(t *testing.T, cwd string, args ...string) (stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), exitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, spacedevBin, args...)
	cmd.Dir = cwd
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run spacedev %v: %v", args, err)
	}
	return errOut.String(), cmd.ProcessState.ExitCode()
}

// A project folder given alone to trigger or env is reported as a missing action id or
// Micro name, not as an action or Micro in the current folder.
func TestProjectFolderWithoutName(t *testing.T) {
	t.Parallel()
	project := newProject(t)
	cwd := t.TempDir()
	rel, err := filepath.Rel(cwd, project)
	require.NoError(t, err)

	stderr, code := runSpacedevIn(t, cwd, "trigger", rel)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "trigger: missing action id: "+project+" is the project "+
		`folder, so give the action id after it, as in "spacedev trigger `+rel+
		` <action-id>"`)
	assert.NotContains(t, stderr, "no spacedev up is running")

	stderr, code = runSpacedevIn(t, cwd, "env", rel)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "env: missing Micro name: "+project+" is the project folder")
	assert.Contains(t, stderr, `"spacedev env `+rel+` <micro>"`)
}

// trigger, login and env in a folder without a Spacefile name that folder by its absolute path
// instead of looking for a running app there.
func TestFolderWithoutSpacefile(t *testing.T) {
	t.Parallel()
	cwd := t.TempDir()
	tests := []struct {
		args  []string
		usage string
	}{
		{[]string{"trigger", "collect-stats"}, "spacedev trigger <dir> collect-stats"},
		{[]string{"trigger", ".", "collect-stats"}, "spacedev trigger <dir> collect-stats"},
		{[]string{"login"}, "spacedev login <dir>"},
		{[]string{"env", "api"}, "spacedev env <dir> api"},
	}
	for _, tt := range tests {
		stderr, code := runSpacedevIn(t, cwd, tt.args...)
		assert.Equal(t, 1, code, tt.args)
		assert.Contains(t, stderr, "spacedev: no Spacefile in "+cwd+": run the command in the "+
			`project folder, or give that folder, as in "`+tt.usage+`"`, tt.args)
		assert.NotContains(t, stderr, "no spacedev up is running", tt.args)
	}
	assert.NoDirExists(t, filepath.Join(cwd, stateDirName))

	stderr, code := runSpacedevIn(t, cwd, "trigger", "nowhere", "tick")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "project folder "+filepath.Join(cwd, "nowhere")+" not found")
}

// Without a running app, trigger and login in the project folder name it by its absolute
// path, not ".".
func TestNotRunningNamesAbsoluteFolder(t *testing.T) {
	t.Parallel()
	project := newProject(t)
	for _, args := range [][]string{{"trigger", "tick"}, {"login"}} {
		stderr, code := runSpacedevIn(t, project, args...)
		assert.Equal(t, 1, code, args)
		assert.Contains(t, stderr, "spacedev: "+project+": no spacedev up is running", args)
	}
	_, err := os.Stat(filepath.Join(project, stateDirName))
	assert.ErrorIs(t, err, os.ErrNotExist, "trigger and login create no state")
}
