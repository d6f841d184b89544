package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

var (
	// errHelp reports that a command printed its help, which is a success.
	errHelp = flag.ErrHelp

	// errUsage is the errors.Is target of a command line that is wrong.
	errUsage = errors.New("invalid command line")

	// errReported reports a failure whose message the command has already printed.
	errReported = errors.New("failed")
)

// usageError is a wrong command line. Its message names the problem and the help to read.
type usageError struct {
	command string
	msg     string
}

func (e *usageError) Error() string {
	return fmt.Sprintf("%s: %s (run \"spacedev %s -h\" for help)", e.command, e.msg, e.command)
}

func (e *usageError) Is(target error) bool { return target == errUsage }

func usagef(command, format string, args ...any) error {
	return &usageError{command: command, msg: fmt.Sprintf(format, args...)}
}

// flagSet is a subcommand's flags with its usage text.
type flagSet struct {
	*flag.FlagSet
	synopsis    string // the arguments after the command name, such as "[flags] [dir]"
	description string
	stdio       stdio
}

func newFlagSet(name, synopsis, description string, stdio stdio) *flagSet {
	fs := &flagSet{
		FlagSet:     flag.NewFlagSet(name, flag.ContinueOnError),
		synopsis:    synopsis,
		description: description,
		stdio:       stdio,
	}
	// The flag package prints parse errors and the usage to its output. [flagSet.parse]
	// returns the error instead, and prints the usage only when asked for help.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

func (fs *flagSet) printUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: spacedev %s %s\n\n%s\n", fs.Name(), fs.synopsis, fs.description)
	if hasFlags(fs.FlagSet) {
		fmt.Fprint(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

func hasFlags(fs *flag.FlagSet) bool {
	found := false
	fs.VisitAll(func(*flag.Flag) { found = true })
	return found
}

// parse parses args, in which flags may come before, between or after the positional
// arguments, and returns the positional ones. Everything after "--" is positional. A request
// for help prints the usage on standard output and returns [errHelp].
func (fs *flagSet) parse(args []string) ([]string, error) {
	if wantsHelp(args) {
		fs.printUsage(fs.stdio.out)
		return nil, errHelp
	}

	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usagef(fs.Name(), "%v", err)
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func wantsHelp(args []string) bool {
	for _, arg := range args {
		if arg == "--" {
			return false
		}
		switch strings.TrimLeft(arg, "-") {
		case "h", "help":
			if strings.HasPrefix(arg, "-") {
				return true
			}
		}
	}
	return false
}

// dirArg returns the one optional positional argument, the project folder.
func dirArg(command string, args []string) (string, error) {
	switch len(args) {
	case 0:
		return ".", nil
	case 1:
		return args[0], nil
	}
	return "", usagef(command, "too many arguments %q: give at most the project folder", args)
}

// dirAndName returns the optional project folder and the required name that follows it.
func dirAndName(command, argName string, args []string) (dir, name string, err error) {
	switch len(args) {
	case 1:
		return ".", args[0], nil
	case 2:
		return args[0], args[1], nil
	case 0:
		return "", "", usagef(command, "missing %s: give it after the project folder", argName)
	}
	return "", "", usagef(command, "too many arguments %q: give the project folder and the %s",
		args, argName)
}
