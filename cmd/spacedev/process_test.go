//go:build linux

package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spacekit/spacekit/internal/testbuf"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacefile"
)

func TestDescribeExit(t *testing.T) {
	tests := []struct {
		script string
		want   string
	}{
		{"exit 0", "exit code 0"},
		{"exit 3", "exit code 3"},
		{"exit 126", "exit code 126: the command is not executable: check its permissions"},
		{"no-such-command-for-spacedev", "exit code 127: the shell found no such command: " +
			"check the Micro's dev or run command and that the program is installed"},
		{"kill -TERM $$", "killed by signal terminated"},
	}
	for _, tt := range tests {
		t.Run(tt.script, func(t *testing.T) {
			cmd := exec.Command("/bin/sh", "-c", tt.script)
			_ = cmd.Run()
			assert.Equal(t, tt.want, describeExit(cmd.ProcessState))
		})
	}
	assert.Equal(t, "exit status unknown", describeExit(nil))
}

func TestParseStat(t *testing.T) {
	pid, pgrp, state, ok := parseStat([]byte("4242 (a (b) c) S 1 4240 4240 0 -1 4194560"))
	require.True(t, ok)
	assert.Equal(t, 4242, pid)
	assert.Equal(t, 4240, pgrp)
	assert.Equal(t, byte('S'), state)

	for _, bad := range []string{"", "4242", "4242 (x)", "x (y) S 1 2", "1 (y) S 1 z"} {
		_, _, _, ok := parseStat([]byte(bad))
		assert.False(t, ok, bad)
	}
}

func TestGroupMembersOfThisProcess(t *testing.T) {
	assert.Contains(t, groupMembers(syscall.Getpgrp()), os.Getpid())
}

func TestCopyLines(t *testing.T) {
	long := strings.Repeat("x", maxLineBytes+10)
	var out bytes.Buffer
	c := newConsole(&out, false, []string{"api", "worker"})
	tl := &tail{}
	copyLines(strings.NewReader("first\r\n"+long+"\nlast"), "api", c, tl)

	assert.Equal(t, "api    | first\n"+
		"api    | "+long[:maxLineBytes]+"\n"+
		"api    | "+long[maxLineBytes:]+"\n"+
		"api    | last\n", out.String())
	assert.Equal(t, "    first\n    "+long[:maxLineBytes]+"\n    "+long[maxLineBytes:]+
		"\n    last", tl.String())
}

func TestConsoleColor(t *testing.T) {
	var out bytes.Buffer
	c := newConsole(&out, true, []string{"web", "api"})
	c.writeLine("api", "ready")
	assert.Equal(t, "\x1b[33mapi |\x1b[0m ready\n", out.String())
}

func TestTailKeepsLastLines(t *testing.T) {
	tl := &tail{}
	assert.Equal(t, "    (no output)", tl.String())
	for i := range tailLines + 5 {
		tl.add(string(rune('a' + i)))
	}
	lines := strings.Split(tl.String(), "\n")
	require.Len(t, lines, tailLines)
	assert.Equal(t, "    f", lines[0])
	assert.Equal(t, "    y", lines[tailLines-1])
}

func TestProcessStopEndsGroup(t *testing.T) {
	var out testbuf.Buffer
	c := newConsole(&out, false, []string{"job"})
	plan := &microPlan{spec: &spacefile.Micro{Name: "job"}, srcDir: t.TempDir(),
		command: "echo started; sleep 30 & sleep 31 & wait"}
	p, err := startProcess(plan, os.Environ(), c)
	require.NoError(t, err)

	deadline := time.Now().Add(readyTimeout)
	for !strings.Contains(out.String(), "job | started") && time.Now().Before(deadline) {
		time.Sleep(pollInterval)
	}
	require.Len(t, groupMembers(p.pid), 3, "sh and two sleeps")

	assert.False(t, p.stop(5*time.Second, nil), "SIGTERM was enough")
	assert.Empty(t, groupMembers(p.pid))
	assert.Equal(t, "killed by signal terminated", describeExit(p.state))
	assert.Equal(t, "    started", p.tail.String())
}

func TestProcessForcedStop(t *testing.T) {
	c := newConsole(&testbuf.Buffer{}, false, []string{"job"})
	plan := &microPlan{spec: &spacefile.Micro{Name: "job"}, srcDir: t.TempDir(),
		command: "trap '' TERM; echo started; sleep 30"}
	p, err := startProcess(plan, os.Environ(), c)
	require.NoError(t, err)
	deadline := time.Now().Add(readyTimeout)
	for p.tail.String() != "    started" && time.Now().Before(deadline) {
		time.Sleep(pollInterval)
	}

	force := make(chan struct{})
	close(force)
	assert.True(t, p.stop(time.Hour, force), "a closed force channel skips the grace period")
	assert.Empty(t, groupMembers(p.pid))
	assert.Equal(t, "killed by signal killed", describeExit(p.state))
}
