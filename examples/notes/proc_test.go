package notes_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
)

// process is one process read from /proc. Its start time distinguishes it from a later process
// that reuses the ID.
type process struct {
	pid, ppid, pgid int
	state           byte
	start           string // start time in clock ticks since boot
	command         string
}

// running reports whether the process still runs: it exists, with the same start time, and
// is not a zombie that waits to be reaped.
func (p process) running() bool {
	now, ok := readProcess(p.pid)
	return ok && now.start == p.start && now.state != 'Z' && now.state != 'X'
}

// readProcess parses /proc/<pid>/stat: "pid (comm) state ppid pgrp ... starttime ...". The
// command may contain spaces and parentheses, so the fields are counted from the last ")".
func readProcess(pid int) (process, bool) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return process{}, false
	}
	open, end := bytes.IndexByte(data, '('), bytes.LastIndexByte(data, ')')
	if open < 0 || end < open {
		return process{}, false
	}
	fields := bytes.Fields(data[end+1:])
	// fields[0] is the state, the 3rd field of the line, so starttime, the 22nd, is fields[19].
	if len(fields) < 20 || len(fields[0]) != 1 {
		return process{}, false
	}
	ppid, err1 := strconv.Atoi(string(fields[1]))
	pgid, err2 := strconv.Atoi(string(fields[2]))
	if err1 != nil || err2 != nil {
		return process{}, false
	}
	return process{pid: pid, ppid: ppid, pgid: pgid, state: fields[0][0],
		start: string(fields[19]), command: string(data[open+1 : end])}, true
}

// allProcesses returns every process in /proc that is not a zombie.
func allProcesses() []process {
	entries, _ := os.ReadDir("/proc")
	var out []process
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := readProcess(pid); ok && p.state != 'Z' && p.state != 'X' {
			out = append(out, p)
		}
	}
	return out
}

// descendants returns the running processes below pid: its children, theirs, and so on.
func descendants(pid int) []process {
	children := make(map[int][]process)
	for _, p := range allProcesses() {
		children[p.ppid] = append(children[p.ppid], p)
	}
	var out []process
	queue := []int{pid}
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		for _, child := range children[next] {
			out = append(out, child)
			queue = append(queue, child.pid)
		}
	}
	return out
}

// groupMembers returns the running processes of the process group pgid.
func groupMembers(pgid int) []process {
	var out []process
	for _, p := range allProcesses() {
		if p.pgid == pgid {
			out = append(out, p)
		}
	}
	return out
}
