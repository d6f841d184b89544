package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// groupPollInterval is how often spacedev checks whether a process group has ended.
const groupPollInterval = 20 * time.Millisecond

// outputDrainTimeout bounds the wait for a Micro's output after its process group has ended.
// Only a process that left the group, with setsid for instance, can keep the pipe open longer.
const outputDrainTimeout = time.Second

// process is one run of a Micro's command: "sh -c <command>" in its own process group, so
// that stopping it reaches every process the command started.
type process struct {
	micro   string
	pid     int // also the process group ID
	cmd     *exec.Cmd
	started time.Time
	tail    *tail

	exited chan struct{} // closed when the shell has exited and been reaped
	state  *os.ProcessState

	output       *os.File      // read end of the output pipe
	outputCopied chan struct{} // closed when all output has been read
}

// startProcess starts m's command with env in m's src folder. Standard output and standard
// error go, line by line, to the console.
func startProcess(m *microPlan, env []string, c *console) (*process, error) {
	return startShell(m, m.command, env, c)
}

// startShell starts "sh -c command" with env in m's src folder, in a process group of its own.
// Standard output and standard error go, line by line, to the console behind m's name.
func startShell(m *microPlan, command string, env []string, c *console) (*process, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("start Micro %q: create output pipe: %w", m.name(), err)
	}

	cmd := exec.Command("/bin/sh", "-c", command)
	cmd.Dir = m.srcDir
	cmd.Env = env
	cmd.Stdout = w
	cmd.Stderr = w
	cmd.SysProcAttr = processAttr()
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("start Micro %q: %w", m.name(), err)
	}
	w.Close() // the child has its own copy, so the read end gets EOF when the group ends

	p := &process{
		micro: m.name(), pid: cmd.Process.Pid, cmd: cmd, started: time.Now(), tail: &tail{},
		exited: make(chan struct{}), output: r, outputCopied: make(chan struct{}),
	}
	go p.copyOutput(c)
	go p.wait()
	return p, nil
}

func (p *process) copyOutput(c *console) {
	copyLines(p.output, p.micro, c, p.tail)
	close(p.outputCopied)
}

func (p *process) wait() {
	_ = p.cmd.Wait() // the exit status is in ProcessState
	p.state = p.cmd.ProcessState
	close(p.exited)
}

// ran returns how long the process ran. Call it after exited is closed.
func (p *process) ran() time.Duration {
	return time.Since(p.started).Round(time.Millisecond)
}

// stop ends the whole process group, as [terminateGroup] does, and waits for the shell and its
// output. It reports whether some process needed SIGKILL.
func (p *process) stop(grace time.Duration, force <-chan struct{}) (killed bool) {
	killed = terminateGroup(p.pid, grace, force)
	<-p.exited
	p.drainOutput()
	return killed
}

// cleanUp ends what the command left in its group after the shell exited on its own, and waits
// for the rest of its output.
func (p *process) cleanUp(grace time.Duration, force <-chan struct{}) {
	if groupAlive(p.pid) {
		terminateGroup(p.pid, grace, force)
	}
	p.drainOutput()
}

func (p *process) drainOutput() {
	timer := time.NewTimer(outputDrainTimeout)
	defer timer.Stop()
	select {
	case <-p.outputCopied:
	case <-timer.C:
		p.output.Close() // unblocks the reader
		<-p.outputCopied
	}
}

// terminateGroup sends SIGTERM to every process in the group pgid and waits until the group is
// empty. Processes still there after grace, or when force is closed, get SIGKILL, and then it
// returns true.
//
// NOTE: a process that moved to a group of its own, as a daemon does with setsid, is out of
// reach and keeps running.
func terminateGroup(pgid int, grace time.Duration, force <-chan struct{}) (killed bool) {
	if signalGroup(pgid, syscall.SIGTERM) != nil {
		return false // the group is already empty
	}
	if waitGroupEmpty(pgid, grace, force) {
		return false
	}
	_ = signalGroup(pgid, syscall.SIGKILL)
	waitGroupEmpty(pgid, grace, nil)
	return true
}

// waitGroupEmpty waits up to timeout for the group pgid to have no process left, and reports
// whether it did. A closed force channel ends the wait early.
func waitGroupEmpty(pgid int, timeout time.Duration, force <-chan struct{}) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(groupPollInterval)
	defer tick.Stop()
	for groupAlive(pgid) {
		select {
		case <-deadline.C:
			return false
		case <-force:
			return false
		case <-tick.C:
		}
	}
	return true
}

func signalGroup(pgid int, sig syscall.Signal) error {
	return syscall.Kill(-pgid, sig)
}

// describeExit describes how a process ended, with a hint for the exit codes of the shell.
func describeExit(state *os.ProcessState) string {
	if state == nil {
		return "exit status unknown"
	}
	if status, ok := state.Sys().(syscall.WaitStatus); ok && status.Signaled() {
		return fmt.Sprintf("killed by signal %s", status.Signal())
	}
	code := state.ExitCode()
	switch code {
	case 126:
		return "exit code 126: the command is not executable: check its permissions"
	case 127:
		return "exit code 127: the shell found no such command: check the Micro's dev or run " +
			"command and that the program is installed"
	}
	return fmt.Sprintf("exit code %d", code)
}
