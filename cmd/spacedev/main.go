package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// exitUsage is the exit status for a command line that could not be parsed, as the flag
// package uses.
const exitUsage = 2

// stdio is the pair of writers a command uses, so tests can run commands in the test process.
type stdio struct {
	out io.Writer // results and Micro output
	err io.Writer // the tool's own log and errors
}

// command is one subcommand of spacedev.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, std stdio) error
}

var commands = []command{
	{"up", "start every Micro and serve the app", runUp},
	{"check", "validate the Spacefile and print the app", runCheck},
	{"env", "print the environment a Micro receives", runEnv},
	{"trigger", "run an action now in the running app", runTrigger},
	{"login", "print a new one-time login URL for the running app", runLogin},
}

func main() {
	os.Exit(run(context.Background(), os.Args[1:], stdio{out: os.Stdout, err: os.Stderr}))
}

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, std stdio) int {
	if len(args) == 0 {
		fmt.Fprint(std.err, "spacedev: missing command: give one of the commands below\n\n")
		printUsage(std.err)
		return exitUsage
	}
	if isHelp(args[0]) {
		printUsage(std.out)
		return 0
	}

	cmd, ok := findCommand(args[0])
	if !ok {
		fmt.Fprintf(std.err, "spacedev: unknown command %q\n\n", args[0])
		printUsage(std.err)
		return exitUsage
	}
	return exitStatus(cmd.run(ctx, args[1:], std), std)
}

func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

func findCommand(name string) (command, bool) {
	for _, cmd := range commands {
		if cmd.name == name {
			return cmd, true
		}
	}
	return command{}, false
}

// exitStatus prints err, if any, and maps it to an exit status: 0 for success, 2 for a usage
// error and 1 for anything else.
func exitStatus(err error, std stdio) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(std.err, "spacedev: %v\n", err)
		return exitUsage
	case errors.Is(err, errReported):
		return 1
	default:
		fmt.Fprintf(std.err, "spacedev: %v\n", err)
		return 1
	}
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `spacedev runs a Space app's Micros on this machine behind one router that routes and
authenticates requests as Space did.

Usage:
  spacedev <command> [flags] [dir] [arguments]

dir is the folder that contains the Spacefile, "." by default. Flags may come before or
after the arguments, as in "spacedev env examples/notes api --reveal"; arguments after "--"
are never flags.

Commands:
`)
	for _, cmd := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprint(w, `
Run "spacedev <command> -h" for the flags of a command.
`)
}
