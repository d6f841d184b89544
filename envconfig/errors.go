package envconfig

import (
	"errors"
	"strings"
)

var (
	// ErrMissing is the error that every unset required variable matches with [errors.Is].
	ErrMissing = errors.New("missing")

	// ErrInvalid is the error that every variable with an unusable value matches with
	// [errors.Is].
	ErrInvalid = errors.New("invalid")
)

// Problem is one missing or invalid variable.
type Problem struct {
	// Var is the variable's name, such as "PORT".
	Var string

	// Err wraps [ErrMissing] or [ErrInvalid], and its message says how to fix the value.
	Err error
}

// Error returns the variable's name and what is wrong with it.
func (p Problem) Error() string { return p.Var + ": " + p.Err.Error() }

// Unwrap returns the problem's cause, which wraps [ErrMissing] or [ErrInvalid].
func (p Problem) Unwrap() error { return p.Err }

// LoadError lists every missing and invalid variable that [LoadFrom] found, so that all of
// them can be fixed at once. It matches [ErrMissing] and [ErrInvalid] with [errors.Is] when any
// of its problems does.
type LoadError struct {
	Problems []Problem
}

// Error returns one line that names every problem.
func (e *LoadError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Error()
	}
	return "envconfig: " + strings.Join(parts, "; ")
}

// Unwrap returns the problems, so that [errors.Is] and [errors.As] look at each of them.
func (e *LoadError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}
