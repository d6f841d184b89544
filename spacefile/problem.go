package spacefile

import (
	"fmt"
	"strings"
)

// Problem is one rule that a Spacefile breaks.
type Problem struct {
	// Line is the line of the offending key or value, counting from 1. A problem that concerns
	// the whole file is on line 1.
	Line int

	// Micro is the name of the Micro the problem belongs to, as written, or "" for a
	// top-level problem and for a Micro without a name.
	Micro string

	// Field is the key the problem concerns, relative to the Micro when Micro is set, such as
	// "engine", "actions[0].default_interval" or "micros[2].src". It is "" when no key applies.
	Field string

	// Message states what is wrong and what to change.
	Message string
}

// String returns the problem as "line 7: micro "api": engine: message", leaving out the parts
// that are unset.
func (p Problem) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "line %d: ", p.Line)
	p.writeDetail(&b)
	return b.String()
}

func (p Problem) writeDetail(b *strings.Builder) {
	if p.Micro != "" {
		fmt.Fprintf(b, "micro %q: ", excerpt(p.Micro))
	}
	if p.Field != "" {
		fmt.Fprintf(b, "%s: ", excerpt(p.Field))
	}
	b.WriteString(p.Message)
}

// ValidationError lists every problem found in a Spacefile, sorted by line. [Parse] and
// [Load] return it as a pointer; use [errors.As] to reach it.
type ValidationError struct {
	// File is the path that [Load] read, or "" after [Parse].
	File string

	// Problems holds at least one problem.
	Problems []Problem
}

// Error returns every problem, one per line. With File set, each line starts with
// "File:line:", the form that editors and terminals turn into links.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("spacefile: ")
	if len(e.Problems) == 1 {
		e.writeProblem(&b, e.Problems[0])
		return b.String()
	}
	fmt.Fprintf(&b, "%d problems:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		e.writeProblem(&b, p)
	}
	return b.String()
}

func (e *ValidationError) writeProblem(b *strings.Builder, p Problem) {
	if e.File != "" {
		fmt.Fprintf(b, "%s:%d: ", e.File, p.Line)
		p.writeDetail(b)
		return
	}
	b.WriteString(p.String())
}
