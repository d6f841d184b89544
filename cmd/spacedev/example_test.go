package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// The env command prints what a Micro receives besides the shell's environment. The keys are
// generated on first use, kept in the project's .spacedev folder, and redacted.
func Example_env() {
	dir, err := os.MkdirTemp("", "spacedev-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	spacefile := `v: 0
micros:
  - name: notes
    src: .
    engine: custom
    dev: go run .
    presets:
      env:
        - name: NOTES_TITLE
          default: My notes
`
	if err := os.WriteFile(filepath.Join(dir, "Spacefile"), []byte(spacefile), 0o644); err != nil {
		fmt.Println(err)
		return
	}

	var out strings.Builder
	run(context.Background(), []string{"env", dir, "notes"}, stdio{out: &out, err: &out})
	// The session cookie's name ends with 8 hex digits of a hash of the project's folder,
	// which differs on each run of the example.
	fmt.Print(regexp.MustCompile(`spacedev_session_[0-9a-f]{8}`).
		ReplaceAllString(out.String(), "spacedev_session_<hash>"))
	// Output:
	// # Variables spacedev adds to the environment of Micro "notes".
	// # PORT is a free port that "spacedev up" picks when it starts.
	// DETA_SPACE_APP_HOSTNAME=localhost:4200
	// DETA_API_KEY=[REDACTED]
	// DETA_SPACE_APP_MICRO_NAME=notes
	// DETA_SPACE_APP_MICRO_TYPE=primary
	// SPACEKIT_SESSION_KEY=[REDACTED]
	// SPACEKIT_SESSION_COOKIE=spacedev_session_<hash>
	// DETA_PROJECT_KEY=[REDACTED]
	// DETA_SPACE_APP_VERSION=dev
	// DETA_SPACE_APP=false
	// NOTES_TITLE="My notes"
}
