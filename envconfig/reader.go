package envconfig

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// reader reads variables and collects every problem instead of stopping at the first.
type reader struct {
	lookup   func(string) (string, bool)
	problems []Problem
}

// get returns the trimmed value of name, or "" when it is unset, empty or blank.
func (r *reader) get(name string) string {
	value, ok := r.lookup(name)
	if !ok {
		return ""
	}
	return strings.TrimSpace(value)
}

func (r *reader) fail(name string, err error) {
	r.problems = append(r.problems, Problem{Var: name, Err: err})
}

// required returns the value of name, recording a problem when it is unset or blank.
func (r *reader) required(name, fix string) string {
	value := r.get(name)
	if value == "" {
		r.fail(name, fmt.Errorf("%w: %s", ErrMissing, fix))
	}
	return value
}

// hostname reads the app's host and the base URL, which SPACEKIT_BASE_URL may override.
func (r *reader) hostname() (string, *url.URL) {
	value := r.required(EnvHostname, "set it to the app's host, such as notes-1-a1b2.deta.app")
	var base *url.URL
	if value != "" {
		u, err := ParseHostname(value)
		if err != nil {
			r.fail(EnvHostname, err)
		} else {
			base = u
			value = u.Host
		}
	}

	if override := r.get(EnvBaseURL); override != "" {
		u, err := ParseHostname(override)
		if err != nil {
			r.fail(EnvBaseURL, err)
		}
		base = u
	}
	return value, base
}

func (r *reader) microType() string {
	value := r.get(EnvMicroType)
	switch value {
	case "":
		return MicroTypePrimary
	case MicroTypePrimary, MicroTypeNormal:
		return value
	}
	r.fail(EnvMicroType, fmt.Errorf("%w: %q: use %q or %q",
		ErrInvalid, value, MicroTypePrimary, MicroTypeNormal))
	return ""
}

func (r *reader) port() int {
	value := r.get(EnvPort)
	if value == "" {
		return DefaultPort
	}

	n, err := strconv.Atoi(value)
	if err != nil || n < 1 || n > 65535 {
		r.fail(EnvPort, fmt.Errorf("%w: %q: use a whole number from 1 to 65535",
			ErrInvalid, value))
		return 0
	}
	return n
}

func (r *reader) onSpace() bool {
	value := r.get(EnvOnSpace)
	if value == "" {
		return false
	}

	on, err := strconv.ParseBool(value)
	if err != nil {
		r.fail(EnvOnSpace, fmt.Errorf("%w: %q: use true or false", ErrInvalid, value))
	}
	return on
}

func (r *reader) sessionKey() Secret {
	value := r.get(EnvSessionKey)
	if value != "" && len(value) < MinSessionKeyLength {
		r.fail(EnvSessionKey, fmt.Errorf("%w: the key is %d bytes long: use at least %d "+
			"random bytes, such as the output of openssl rand -hex 32",
			ErrInvalid, len(value), MinSessionKeyLength))
		return ""
	}
	return Secret(value)
}
