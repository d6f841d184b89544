package main

import (
	"context"
	"fmt"
	"time"
)

// buildAll runs the build steps of every Micro that starts with its run command, one Micro
// and one step at a time, before any Micro starts. Space ran a Micro's commands before its run
// command, which often needs their output, such as a compiled binary. The first step that
// fails stops the build with a [*buildError]. When ctx ends, the running step's process group
// is stopped and ctx's error returned. Either way no build process is left running.
func (s *supervisor) buildAll(ctx context.Context) error {
	for _, m := range s.micros {
		if len(m.plan.build) == 0 {
			if m.plan.field == commandDev && len(m.plan.spec.Commands) > 0 {
				s.logger.Info("build commands skipped: the dev command builds for itself",
					"micro", m.plan.name(), "commands", len(m.plan.spec.Commands))
			}
			continue
		}
		for i, command := range m.plan.build {
			if err := s.buildStep(ctx, m, i, command); err != nil {
				return err
			}
		}
	}
	return nil
}

// buildStep runs one build command of m with m's environment in its src folder and waits for
// it to exit.
func (s *supervisor) buildStep(ctx context.Context, m *supervised, index int,
	command string) error {
	name, total := m.plan.name(), len(m.plan.build)
	p, err := startShell(m.plan, command, m.env, s.console)
	if err != nil {
		return fmt.Errorf("Micro %q: build command %q: %w", name, command, err)
	}
	s.logger.Info("build command started", "micro", name, "step", index+1, "of", total,
		"command", command, "dir", m.plan.srcDir, "pid", p.pid)

	select {
	case <-p.exited:
		p.cleanUp(s.grace, s.force)
	case <-ctx.Done():
		s.logger.Info("build command stopping", "micro", name, "pid", p.pid)
		p.stop(s.grace, s.force)
		return ctx.Err()
	}

	if !p.state.Success() {
		exit := describeExit(p.state)
		s.logger.Error("build command failed", "micro", name, "step", index+1, "of", total,
			"command", command, "exit", exit)
		return &buildError{micro: name, command: command, step: index + 1, steps: total,
			exit: exit, output: p.tail.String()}
	}
	s.logger.Info("build command finished", "micro", name, "step", index+1, "of", total,
		"after", time.Since(p.started).Round(time.Millisecond))
	return nil
}

// buildError reports a Micro's build command that failed, with its last lines of output.
type buildError struct {
	micro   string
	command string
	step    int // 1-based
	steps   int
	exit    string
	output  string
}

func (e *buildError) Error() string {
	return fmt.Sprintf("Micro %q: build command %d of %d %q failed (%s): fix the "+
		"command in the Spacefile's commands, or the code it builds\n  last output:\n%s",
		e.micro, e.step, e.steps, e.command, e.exit, e.output)
}
