package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/spacefile"
)

// Values of the --command flag, which selects the Spacefile command that starts a Micro.
const (
	commandDev = "dev" // dev, falling back to run
	commandRun = "run" // run only
)

// Engines whose serve folder spacedev can serve itself when the Micro has no command to run.
var servingEngines = map[string]bool{"static": true, "react": true, "svelte": true, "vue": true}

// app is a loaded Spacefile with the way spacedev runs each Micro.
type app struct {
	dir       string // the project folder, absolute
	spacefile *spacefile.Spacefile
	micros    []*microPlan
}

// microPlan is the run plan of one Micro: a shell command in its src folder, or a file server
// on its serve folder.
type microPlan struct {
	spec     *spacefile.Micro
	srcDir   string // absolute
	serveDir string // absolute; set when spacedev serves the folder itself
	command  string // the shell command; empty when serveDir is set
	field    string // the Spacefile field command came from: "dev" or "run"
	port     int    // the port the process listens on, chosen by "spacedev up"

	// build are the Spacefile's commands, the build steps that run in order before the run
	// command. They are empty with the dev command, which builds for itself.
	build []string
}

func (m *microPlan) name() string { return m.spec.Name }

// static reports whether spacedev serves the Micro's files itself instead of starting it.
func (m *microPlan) static() bool { return m.serveDir != "" }

func (m *microPlan) microType() string {
	if m.spec.Primary {
		return envconfig.MicroTypePrimary
	}
	return envconfig.MicroTypeNormal
}

// loadApp reads the Spacefile in dir and decides how to run each Micro, with the command the
// --command flag selects. Every problem is reported at once.
func loadApp(dir, startCommand string) (*app, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("project folder %q: %w", dir, err)
	}
	sf, err := spacefile.Load(abs)
	if err != nil {
		return nil, describeLoadError(abs, err)
	}

	a := &app{dir: abs, spacefile: sf}
	var problems []string
	for _, spec := range sf.Micros {
		plan, problem := planMicro(abs, spec, startCommand)
		if problem != "" {
			problems = append(problems, fmt.Sprintf("%s:%d: micro %q: %s",
				filepath.Join(abs, spacefile.FileName), spec.Line, spec.Name, problem))
			continue
		}
		a.micros = append(a.micros, plan)
	}
	if len(problems) > 0 {
		return nil, &appError{dir: abs, problems: problems}
	}
	return a, nil
}

// describeLoadError lists the problems of an invalid Spacefile in the form of [appError]. It
// returns the spacefile package's other errors, such as a missing Spacefile, unchanged, because
// they already name the fix.
func describeLoadError(dir string, err error) error {
	var invalid *spacefile.ValidationError
	if !errors.As(err, &invalid) {
		return err
	}
	file := filepath.Join(dir, spacefile.FileName)
	problems := make([]string, 0, len(invalid.Problems))
	for _, p := range invalid.Problems {
		detail := strings.TrimPrefix(p.String(), fmt.Sprintf("line %d: ", p.Line))
		problems = append(problems, fmt.Sprintf("%s:%d: %s", file, p.Line, detail))
	}
	return &appError{dir: dir, problems: problems}
}

// planMicro returns the plan for spec, or a problem that names the fix.
func planMicro(dir string, spec *spacefile.Micro, startCommand string) (*microPlan, string) {
	plan := &microPlan{spec: spec, srcDir: filepath.Join(dir, spec.Src)}
	if info, err := os.Stat(plan.srcDir); err != nil || !info.IsDir() {
		return nil, fmt.Sprintf("src folder %s not found: create it or fix src", plan.srcDir)
	}

	plan.field, plan.command = pickCommand(spec, startCommand)
	if plan.command != "" && !spec.IsStatic() {
		if plan.field == commandRun {
			plan.build = spec.Commands
		}
		return plan, ""
	}
	if servingEngines[spec.Engine] && spec.Serve != "" {
		return planStatic(plan)
	}
	if startCommand == commandRun {
		return nil, "no run command: add run to the Spacefile, or use --command=dev"
	}
	return nil, "no dev or run command: add one to the Spacefile"
}

func pickCommand(spec *spacefile.Micro, startCommand string) (field, command string) {
	if startCommand == commandDev && strings.TrimSpace(spec.Dev) != "" {
		return commandDev, spec.Dev
	}
	if strings.TrimSpace(spec.Run) != "" {
		return commandRun, spec.Run
	}
	return "", ""
}

func planStatic(plan *microPlan) (*microPlan, string) {
	plan.serveDir = filepath.Join(plan.srcDir, plan.spec.Serve)
	plan.command, plan.field = "", ""
	if info, err := os.Stat(plan.serveDir); err != nil || !info.IsDir() {
		return nil, fmt.Sprintf("serve folder %s not found: build the Micro first or fix serve",
			plan.serveDir)
	}
	return plan, ""
}

// find returns the Micro called name.
func (a *app) find(name string) (*microPlan, error) {
	var names []string
	for _, m := range a.micros {
		if m.name() == name {
			return m, nil
		}
		names = append(names, m.name())
	}
	return nil, fmt.Errorf("no Micro %q in the Spacefile: use one of %s", name,
		strings.Join(names, ", "))
}

// processes returns the Micros that spacedev starts as processes.
func (a *app) processes() []*microPlan {
	var out []*microPlan
	for _, m := range a.micros {
		if !m.static() {
			out = append(out, m)
		}
	}
	return out
}

// interval is when an action runs: a spacefile rate or cron interval.
type interval interface {
	Next(after time.Time) time.Time
	String() string
}

// scheduledAction is one action of the app with the Micro that declares it.
type scheduledAction struct {
	id       string
	name     string
	micro    string
	interval interval
}

// actions returns every action of the app, in Spacefile order.
func (a *app) actions() []scheduledAction {
	var out []scheduledAction
	for _, m := range a.micros {
		for _, act := range m.spec.Actions {
			out = append(out, scheduledAction{id: act.ID, name: act.Name, micro: m.name(),
				interval: act.Interval})
		}
	}
	return out
}

// actionIDs returns the ids of the actions m declares.
func (m *microPlan) actionIDs() []string {
	ids := make([]string, 0, len(m.spec.Actions))
	for _, act := range m.spec.Actions {
		ids = append(ids, act.ID)
	}
	return ids
}

// relativeTo returns path relative to base when it is inside base, else path itself.
func relativeTo(base, path string) string {
	rel, err := filepath.Rel(base, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return path
	}
	return rel
}

// appError lists every problem that keeps the app from running.
type appError struct {
	dir      string
	problems []string
}

func (e *appError) Error() string {
	return fmt.Sprintf("the Spacefile in %s has %d problem(s):\n  %s", e.dir, len(e.problems),
		strings.Join(e.problems, "\n  "))
}
