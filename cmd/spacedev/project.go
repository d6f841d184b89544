package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spacekit/spacekit/spacefile"
)

// projectDir returns the absolute path of dir after checking that it contains a Spacefile, so
// a command that talks to the running app does not report "no spacedev up is running" for a
// folder that is not a project. usage is the command line to suggest, such as
// "spacedev login <dir>".
func projectDir(dir, usage string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("project folder %q: %w", dir, err)
	}
	if info, err := os.Stat(abs); errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("project folder %s not found: give the folder that contains the "+
			"Spacefile, as in %q", abs, usage)
	} else if err == nil && !info.IsDir() {
		return "", fmt.Errorf("project folder %s is a file: give the folder that contains the "+
			"Spacefile, as in %q", abs, usage)
	}
	if !hasSpacefile(abs) {
		return "", fmt.Errorf("no %s in %s: run the command in the project folder, or give "+
			"that folder, as in %q", spacefile.FileName, abs, usage)
	}
	return abs, nil
}

// hasSpacefile reports whether dir contains a Spacefile that is not a folder.
func hasSpacefile(dir string) bool {
	info, err := os.Stat(filepath.Join(dir, spacefile.FileName))
	return err == nil && !info.IsDir()
}

// projectAndName returns the absolute project folder and the name of a command that takes
// "[dir] <name>", such as "spacedev trigger [dir] <action-id>". placeholder is the name's
// placeholder in usage lines, such as "<action-id>". When the folder has no Spacefile and the
// only argument is a project folder, the error reports the missing name, not the folder.
func projectAndName(command, argName, placeholder string,
	args []string) (dir, name string, err error) {
	dir, name, err = dirAndName(command, argName, args)
	if err != nil {
		return "", "", err
	}
	abs, err := projectDir(dir, fmt.Sprintf("spacedev %s <dir> %s", command, name))
	if err == nil {
		return abs, name, nil
	}
	if len(args) == 1 && hasSpacefile(name) {
		folder, _ := filepath.Abs(name)
		return "", "", usagef(command, "missing %s: %s is the project folder, so give the %s "+
			"after it, as in \"spacedev %s %s %s\"", argName, folder, argName, command, name,
			placeholder)
	}
	return "", "", err
}
