package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

func runCheck(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("check", "[flags] [dir]",
		"Validates the Spacefile in dir and prints the app as spacedev runs it: each Micro\n"+
			"with its path, command and public routes, and each action with the time of its\n"+
			"first run if \"spacedev up\" started now, in UTC.\n"+
			"With problems, it prints all of them and exits with status 1.", std)
	command := fs.String("command", commandDev, "Spacefile command that starts each Micro: "+
		"dev (falling back to run) or run")
	args, err := fs.parse(args)
	if err != nil {
		return err
	}
	dir, err := dirArg("check", args)
	if err != nil {
		return err
	}
	if err := checkCommandFlag("check", *command); err != nil {
		return err
	}
	a, err := loadApp(dir, *command)
	if err != nil {
		return err
	}
	printApp(std.out, a, time.Now().UTC())
	return nil
}

func checkCommandFlag(command, value string) error {
	if value != commandDev && value != commandRun {
		return usagef(command, "--command %q: use dev or run", value)
	}
	return nil
}

// printApp writes the normalised app: a table of Micros and one of actions with their first
// run if "spacedev up" started at now. A running app keeps the schedule of its own start, so a
// rate interval's runs there differ. A note states this when the app runs.
func printApp(w io.Writer, a *app, now time.Time) {
	actions := a.actions()
	fmt.Fprintf(w, "The Spacefile in %s is valid: %d Micro(s), %d action(s).\n\n", a.dir,
		len(a.micros), len(actions))

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MICRO\tTYPE\tPATH\tRUNS\tACCESS")
	for _, m := range a.micros {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.name(), m.microType(), m.spec.Path,
			describeRun(a, m), describeAccess(m))
	}
	tw.Flush()
	if len(actions) == 0 {
		return
	}

	fmt.Fprintln(w)
	fmt.Fprintln(tw, "ACTION\tMICRO\tNAME\tINTERVAL\tFIRST RUN IF STARTED NOW (UTC)")
	for _, act := range actions {
		next := act.interval.Next(now).UTC().Format(time.DateTime)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", act.id, act.micro, act.name,
			act.interval, next)
	}
	tw.Flush()
	st := &state{dir: filepath.Join(a.dir, stateDirName)}
	if info, err := st.readRun(); err == nil {
		fmt.Fprintf(w, "\nspacedev up already serves this app at %s (process %d): its actions "+
			"run on the schedule of its own start, and \"spacedev trigger\" runs one now.\n",
			info.URL, info.PID)
	}
}

func describeRun(a *app, m *microPlan) string {
	if m.static() {
		return "files in " + relativeTo(a.dir, m.serveDir)
	}
	run := m.field + ": " + m.command
	switch len(m.build) {
	case 0:
		return run
	case 1:
		return run + " (after 1 build command)"
	}
	return fmt.Sprintf("%s (after %d build commands)", run, len(m.build))
}

func describeAccess(m *microPlan) string {
	var parts []string
	switch {
	case m.spec.Public:
		parts = append(parts, "public")
	case len(m.spec.PublicRoutes) > 0:
		parts = append(parts, "public routes "+strings.Join(m.spec.PublicRoutes, ", "))
	default:
		parts = append(parts, "private")
	}
	if m.spec.Presets.APIKeys {
		parts = append(parts, "app keys")
	}
	return strings.Join(parts, "; ")
}
