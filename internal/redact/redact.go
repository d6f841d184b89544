// Package redact formats the values that hold keys so that no fmt verb can print a key.
package redact

import (
	"fmt"
	"io"
	"strconv"
)

// Describer is a value with a description that contains no key, in a plain form (String) and
// a Go-syntax form (GoString).
type Describer interface {
	fmt.Stringer
	fmt.GoStringer
}

// Format writes v.String() for every verb, v.GoString() for %#v, and the quoted v.String()
// for %q. A type that holds keys calls it from its Format method, because fmt's default
// formatting prints a struct's unexported fields, keys included, under verbs such as %d or %x.
func Format(f fmt.State, verb rune, v Describer) {
	var description string
	switch {
	case verb == 'v' && f.Flag('#'):
		description = v.GoString()
	case verb == 'q':
		description = strconv.Quote(v.String())
	default:
		description = v.String()
	}
	_, _ = io.WriteString(f, description)
}
