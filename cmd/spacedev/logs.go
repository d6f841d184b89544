package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
)

// Flags that configure the tool's own log.
type logFlags struct {
	format string
	level  string
}

func (f *logFlags) register(fs *flagSet) {
	fs.StringVar(&f.format, "log-format", "text", "format of spacedev's own log on standard "+
		"error: text or json")
	fs.StringVar(&f.level, "log-level", "info", "lowest level of spacedev's own log: debug, "+
		"info, warn or error")
}

// newLogger returns the tool's logger, which writes to w in the chosen format.
func (f *logFlags) newLogger(command string, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.level)); err != nil {
		return nil, usagef(command, "--log-level %q: use debug, info, warn or error", f.level)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch f.format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usagef(command, "--log-format %q: use text or json", f.format)
}

// tailLines is how many of a Micro's last output lines an error report shows.
const tailLines = 20

// maxLineBytes is the longest output line a Micro writes before it is split.
const maxLineBytes = 64 << 10

// console writes each Micro's output to one writer, one whole line at a time, with the Micro's
// name in front. It is safe for concurrent use.
type console struct {
	mu     sync.Mutex
	w      io.Writer
	color  bool
	width  int // of the widest Micro name, so the output lines up
	colors map[string]string
}

// ANSI colours for the Micro names, in the order Micros appear in the Spacefile.
var palette = []string{"36", "33", "32", "35", "34", "91"}

func newConsole(w io.Writer, color bool, names []string) *console {
	c := &console{w: w, color: color, colors: map[string]string{}}
	for i, name := range names {
		c.width = max(c.width, len(name))
		c.colors[name] = palette[i%len(palette)]
	}
	return c
}

// isTerminal reports whether f is a terminal and the user has not asked for no colour with
// NO_COLOR.
func isTerminal(f *os.File) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

func (c *console) writeLine(name, line string) {
	prefix := fmt.Sprintf("%-*s |", c.width, name)
	if c.color {
		prefix = "\x1b[" + c.colors[name] + "m" + prefix + "\x1b[0m"
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.w, "%s %s\n", prefix, line)
}

// tail keeps the last lines of a Micro's output for error reports. It is safe for concurrent
// use.
type tail struct {
	mu    sync.Mutex
	lines []string
}

func (t *tail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) == tailLines {
		t.lines = t.lines[1:]
	}
	t.lines = append(t.lines, line)
}

// String returns the kept lines, each indented, or a note that there were none.
func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) == 0 {
		return "    (no output)"
	}
	return "    " + strings.Join(t.lines, "\n    ")
}

// copyLines reads r until it ends and writes each line to the console and the tail. A line
// longer than maxLineBytes is split, so a Micro that never writes a newline cannot grow memory
// without bound.
func copyLines(r io.Reader, name string, c *console, t *tail) {
	br := bufio.NewReaderSize(r, maxLineBytes)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			text := strings.TrimRight(string(line), "\r\n")
			c.writeLine(name, text)
			t.add(text)
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return
		}
	}
}
