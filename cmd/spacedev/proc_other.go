//go:build !linux

package main

import (
	"errors"
	"syscall"
)

// processAttr puts a Micro's shell in a process group of its own, so a signal to the group
// reaches every process its command starts.
//
// NOTE: outside Linux there is no Pdeathsig, so a spacedev killed with SIGKILL leaves its
// Micros running.
func processAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// groupAlive reports whether any process, zombies included, is left in the group pgid.
func groupAlive(pgid int) bool {
	err := syscall.Kill(-pgid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
