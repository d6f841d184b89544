// Package atomicfile replaces files so that a reader, or a restart after a crash, finds either
// the old content or the new, never a mix. The notes Micros store their data with it.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Write replaces the file at path with data so that a reader, or a restart after a
// crash, finds either the old content or the new, never a mix. It writes a temporary file in
// the same folder, flushes it to disk, renames it over path and then flushes the folder, so the
// rename itself survives a power cut.
func Write(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}

	err = writeAndSync(tmp, data)
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return errors.Join(err, os.Remove(tmp.Name()))
	}
	return syncDir(dir)
}

// tempPattern returns the os.CreateTemp pattern of the temporary files for path, such as
// ".notes.json-*.tmp".
func tempPattern(path string) string {
	return "." + filepath.Base(path) + "-*.tmp"
}

func writeAndSync(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", f.Name(), err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open folder %s to flush it: %w", dir, err)
	}
	err = d.Sync()
	if closeErr := d.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return fmt.Errorf("flush folder %s: %w", dir, err)
	}
	return nil
}

// RemoveTemp deletes the temporary files that a crash during [Write] left behind
// beside path.
func RemoveTemp(path string) error {
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read folder %s: %w", dir, err)
	}
	prefix := "." + filepath.Base(path) + "-"
	for _, entry := range entries {
		name := entry.Name()
		if !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, ".tmp") {
			continue
		}
		err := os.Remove(filepath.Join(dir, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}
