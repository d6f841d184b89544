// Package notes_test runs the notes app as a user would: "spacedev up" as a real process that
// starts every Micro with "go run .", driven over HTTP and through a real browser.
package notes_test

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// binDir is the temporary folder for the spacedev binary that the tests build once.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "notes-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "create a folder for the spacedev binary:", err)
		os.Exit(1)
	}
	binDir = dir

	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goroutines leaked:", err)
			code = 1
		}
	}
	_ = os.RemoveAll(dir)
	os.Exit(code)
}
