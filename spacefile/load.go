package spacefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Load reads and validates dir/Spacefile. Besides the checks of [Parse], it reports every
// non-primary Micro whose src folder does not exist under dir, as the space CLI did before it
// ran an app. All problems come back together in one [*ValidationError], whose File is the
// Spacefile's path. When the file cannot be read, the error wraps the cause, so
// errors.Is(err, fs.ErrNotExist) reports a missing Spacefile.
func Load(dir string) (*Spacefile, error) {
	if dir == "" {
		return nil, errors.New(`spacefile: Load(""): dir is empty; pass the project ` +
			`directory, or "." for the current one`)
	}
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("spacefile: Load(%q): %w", dir, err)
	}
	file := filepath.Join(root, FileName)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, readError(root, file, err)
	}
	d := parse(data)
	d.checkSources(root)
	if err := d.err(file); err != nil {
		return nil, err
	}
	d.spacefile.Dir = root
	return d.spacefile, nil
}

// readError explains why the Spacefile could not be read, naming a file whose name differs
// only in case, which Space did not accept. A folder with such a name, like a Go package
// called spacefile, is not a misnamed Spacefile.
func readError(root, file string, err error) error {
	if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("spacefile: read %s: %w", file, err)
	}
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if strings.EqualFold(e.Name(), FileName) && !isFolder(filepath.Join(root, e.Name())) {
			return fmt.Errorf("spacefile: %s not found, but %s is there; rename it to %s, "+
				"the exact name Space reads: %w", file, e.Name(), FileName, err)
		}
	}
	return fmt.Errorf("spacefile: %s not found; create it, or run the command in the "+
		"project root or give it the project's folder: %w", file, err)
}

// isFolder reports whether path is a folder or a link to one.
func isFolder(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// checkSources reports each non-primary Micro whose src is not a folder under root. The
// primary Micro's src is not checked, as in the space CLI.
func (d *decoder) checkSources(root string) {
	for i, m := range d.spacefile.Micros {
		if m.Primary || m.Src == "" || isAbsolute(m.Src) {
			continue
		}
		dir := filepath.Join(root, filepath.FromSlash(m.Src))
		if problem := folderProblem(dir); problem != "" {
			d.addAt(i, d.micros[i].lines["src"], "src", fmt.Sprintf("%q %s; create the "+
				"folder or correct src", excerpt(m.Src), problem))
		}
	}
}

// folderProblem returns why dir is not a usable folder, or "".
func folderProblem(dir string) string {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "does not exist (looked for " + dir + ")"
	case err != nil:
		return "cannot be read: " + err.Error()
	case !info.IsDir():
		return "is a file, not a folder (" + dir + ")"
	}
	return ""
}
