package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"
)

// Paths of the binaries that TestMain builds once for the end-to-end tests.
var (
	spacedevBin string // the spacedev command
	microBinDir string // web, api and worker: the Micros of testdata/app
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "spacedev-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := buildBinaries(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	goleak.VerifyTestMain(m, goleak.Cleanup(func(int) { os.RemoveAll(dir) }))
}

// buildBinaries builds spacedev and the test app's Micros into dir, without the race detector,
// so the Micros start fast and every test shares one build.
func buildBinaries(dir string) error {
	spacedevBin = filepath.Join(dir, "spacedev")
	microBinDir = filepath.Join(dir, "micros")
	builds := [][]string{
		{"build", "-o", spacedevBin, "."},
		{"build", "-o", microBinDir + string(filepath.Separator),
			"./testdata/app/web", "./testdata/app/api", "./testdata/app/worker"},
	}
	for _, args := range builds {
		cmd := exec.Command("go", args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go %v: %w\n%s", args, err, out)
		}
	}
	return nil
}
