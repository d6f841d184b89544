package middleware

import (
	"errors"
	"fmt"
)

// ErrInvalidOption is the error that every constructor of this package returns, wrapped, when
// an option is invalid. Test for it with [errors.Is]. The message names the option and the fix.
var ErrInvalidOption = errors.New("invalid option")

// optionError is an invalid option of the constructor fn. Its message never contains a secret:
// callers name keys by their index only.
type optionError struct {
	fn      string
	message string
}

func (e *optionError) Error() string { return "middleware: " + e.fn + ": " + e.message }

func (e *optionError) Is(target error) bool { return target == ErrInvalidOption }

func invalidOption(fn, format string, args ...any) error {
	return &optionError{fn: fn, message: fmt.Sprintf(format, args...)}
}
