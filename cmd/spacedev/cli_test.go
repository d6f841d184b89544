package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runInProcess runs a spacedev command line in the test process.
func runInProcess(args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, stdio{out: &out, err: &errOut})
	return out.String(), errOut.String(), code
}

func TestHelp(t *testing.T) {
	for _, arg := range []string{"--help", "-h", "help"} {
		stdout, _, code := runInProcess(arg)
		assert.Equal(t, 0, code)
		for _, cmd := range commands {
			assert.Contains(t, stdout, "\n  "+cmd.name+" ", arg)
		}
	}

	stdout, _, _ := runInProcess("--help")
	assert.Contains(t, stdout, "Flags may come before or\nafter the arguments")

	_, stderr, code := runInProcess()
	assert.Equal(t, exitUsage, code)
	assert.True(t, strings.HasPrefix(stderr, "spacedev: missing command: "), stderr)
	assert.Contains(t, stderr, "Usage:")
}

// flagHelp matches a flag in a command's help, as flag.PrintDefaults prints it: the flag with
// its type, then its usage on the next line.
var flagHelp = regexp.MustCompile(`(?m)^  (-\S+(?: \S+)?)\n    \t(.*)$`)

func TestCommandHelpNamesEveryFlag(t *testing.T) {
	tests := map[string][]string{
		"up": {"-addr string", "-no-auth", "-command string", "-start-timeout duration",
			"-stop-timeout duration", "-on-crash string", "-max-restarts int",
			"-schedule-speed int", "-log-format string", "-log-level string"},
		"check":   {"-command string"},
		"env":     {"-reveal", "-addr string", "-command string"},
		"trigger": {},
		"login":   {},
	}
	for name, flags := range tests {
		t.Run(name, func(t *testing.T) {
			stdout, stderr, code := runInProcess(name, "-h")
			require.Equal(t, 0, code, stderr)
			synopsis := "Usage: spacedev " + name + " [dir]"
			if len(flags) > 0 {
				synopsis = "Usage: spacedev " + name + " [flags] [dir]"
			}
			assert.Contains(t, stdout, synopsis)
			for _, flag := range flags {
				assert.Contains(t, stdout, "  "+flag+"\n")
			}
			// Every flag the help lists is one the test expects, with a usage line that
			// describes what it sets.
			listed := flagHelp.FindAllStringSubmatch(stdout, -1)
			assert.Len(t, listed, len(flags))
			for _, m := range listed {
				assert.Contains(t, flags, m[1])
				assert.GreaterOrEqual(t, len(strings.Fields(m[2])), 3,
					"help of %s describes what it sets", m[1])
			}
			assert.Equal(t, len(flags) > 0, bytes.Contains([]byte(stdout), []byte("Flags:")))
		})
	}
}

func TestParseInterleavedFlags(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		positional []string
		addr       string
		reveal     bool
	}{
		{"flags first", []string{"--addr", "a:1", "--reveal", "dir", "web"},
			[]string{"dir", "web"}, "a:1", true},
		{"flags last", []string{"dir", "web", "--addr=a:1"}, []string{"dir", "web"}, "a:1", false},
		{"flags between", []string{"dir", "--reveal", "web"}, []string{"dir", "web"}, "", true},
		{"double dash", []string{"--reveal", "--", "--addr", "web"},
			[]string{"--addr", "web"}, "", true},
		{"none", nil, nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFlagSet("env", "", "", stdio{out: &bytes.Buffer{}, err: &bytes.Buffer{}})
			addr := fs.String("addr", "", "")
			reveal := fs.Bool("reveal", false, "")
			positional, err := fs.parse(tt.args)
			require.NoError(t, err)
			assert.Equal(t, tt.positional, positional)
			assert.Equal(t, tt.addr, *addr)
			assert.Equal(t, tt.reveal, *reveal)
		})
	}
}

func TestDirAndName(t *testing.T) {
	dir, name, err := dirAndName("env", "Micro name", []string{"web"})
	require.NoError(t, err)
	assert.Equal(t, ".", dir)
	assert.Equal(t, "web", name)

	dir, name, err = dirAndName("env", "Micro name", []string{"app", "web"})
	require.NoError(t, err)
	assert.Equal(t, "app", dir)
	assert.Equal(t, "web", name)

	_, _, err = dirAndName("env", "Micro name", nil)
	assert.ErrorIs(t, err, errUsage)
	assert.EqualError(t, err, `env: missing Micro name: give it after the project folder `+
		`(run "spacedev env -h" for help)`)

	_, _, err = dirAndName("env", "Micro name", []string{"a", "b", "c"})
	assert.ErrorIs(t, err, errUsage)
}
