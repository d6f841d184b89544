package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// processAttr puts a Micro's shell in a process group of its own, so a signal to the group
// reaches every process its command starts. Pdeathsig kills the shell if spacedev itself dies
// without stopping it, such as on SIGKILL.
//
// NOTE: Pdeathsig reaches only the shell (or the program it executes in its place), not the
// other processes of the group, so a spacedev killed with SIGKILL can leave those behind.
func processAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// groupAlive reports whether a process of the group pgid is still running. A zombie does not
// count: it has exited and only waits for its parent, often init, to reap it, which some
// container inits do only now and then.
func groupAlive(pgid int) bool {
	return len(groupMembers(pgid)) > 0
}

// groupMembers returns the IDs of the running processes, zombies excluded, in the group pgid.
func groupMembers(pgid int) []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var pids []int
	for _, path := range stats {
		data, err := os.ReadFile(path)
		if err != nil {
			continue // the process has ended since the glob
		}
		if pid, group, state, ok := parseStat(data); ok && group == pgid && state != 'Z' &&
			state != 'X' {
			pids = append(pids, pid)
		}
	}
	return pids
}

// parseStat reads the process ID, process group ID and state from the content of
// /proc/<pid>/stat: "pid (comm) state ppid pgrp ...", where comm may contain spaces and
// parentheses, so the fields are counted from the last ")".
func parseStat(data []byte) (pid, pgrp int, state byte, ok bool) {
	open, end := bytes.IndexByte(data, '('), bytes.LastIndexByte(data, ')')
	if open < 1 || end < open {
		return 0, 0, 0, false
	}
	fields := bytes.Fields(data[end+1:])
	if len(fields) < 3 || len(fields[0]) != 1 {
		return 0, 0, 0, false
	}
	pid, err1 := strconv.Atoi(string(bytes.TrimSpace(data[:open])))
	pgrp, err2 := strconv.Atoi(string(fields[2]))
	if err1 != nil || err2 != nil {
		return 0, 0, 0, false
	}
	return pid, pgrp, fields[0][0], true
}
