package router

import (
	"cmp"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// MaxMicros is the largest number of Micros an app may have.
const MaxMicros = 5

// MaxActionsPerMicro is the largest number of scheduled actions one Micro may declare.
const MaxActionsPerMicro = 5

var microName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

// ConfigError is the error [New] returns for invalid [Options]. It lists every problem found.
type ConfigError struct {
	Problems []Problem
}

// Problem is one rule that the Options break. Micro is empty for a problem of the Options
// themselves.
type Problem struct {
	Micro   string
	Message string
}

// Error lists every problem, one per line.
func (e *ConfigError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return "router: " + strings.Join(lines, "\nrouter: ")
}

// String names the Micro, if any, and the rule.
func (p Problem) String() string {
	if p.Micro == "" {
		return p.Message
	}
	return fmt.Sprintf("Micro %q: %s", p.Micro, p.Message)
}

// validator collects the problems of a set of Options.
type validator struct {
	problems []Problem
}

func (v *validator) add(micro, format string, args ...any) {
	v.problems = append(v.problems, Problem{Micro: micro, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	return &ConfigError{Problems: v.problems}
}

// normaliseMicros validates the Micros and returns copies with the primary flag and the paths
// normalised.
func (v *validator) normaliseMicros(in []Micro) []Micro {
	if len(in) == 0 || len(in) > MaxMicros {
		v.add("", "the app has %d Micros: an app has 1 to %d", len(in), MaxMicros)
		return nil
	}
	micros := make([]Micro, len(in))
	copy(micros, in)
	if len(micros) == 1 {
		micros[0].Primary = true
	}
	v.checkPrimary(micros)
	for i := range micros {
		v.checkMicro(&micros[i])
	}
	v.checkUnique(micros)
	return micros
}

func (v *validator) checkPrimary(micros []Micro) {
	var primaries []string
	for _, m := range micros {
		if m.Primary {
			primaries = append(primaries, fmt.Sprintf("%q", m.Name))
		}
	}
	switch len(primaries) {
	case 0:
		v.add("", "no Micro is primary: with more than one Micro, mark exactly one Primary")
	case 1:
	default:
		v.add("", "Micros %s are all primary: mark exactly one Primary",
			strings.Join(primaries, ", "))
	}
}

func (v *validator) checkMicro(m *Micro) {
	if !microName.MatchString(m.Name) {
		v.add(m.Name, "invalid name: a name matches ^[A-Za-z0-9][A-Za-z0-9_-]*$")
	}
	if m.Handler == nil {
		v.add(m.Name, "Handler is nil: give every Micro a handler")
	}
	if m.Public && len(m.PublicRoutes) > 0 {
		v.add(m.Name, "Public and PublicRoutes are both set: Public already makes every "+
			"route public, so set one of them")
	}
	v.checkPublicRoutes(m)
	v.checkPath(m)
	if len(m.Actions) > MaxActionsPerMicro {
		v.add(m.Name, "declares %d actions: a Micro declares at most %d",
			len(m.Actions), MaxActionsPerMicro)
	}
}

func (v *validator) checkPublicRoutes(m *Micro) {
	seen := make(map[string]bool, len(m.PublicRoutes))
	for _, route := range m.PublicRoutes {
		switch {
		case route == "":
			v.add(m.Name, "a public route is empty: give a pattern such as \"/public/*\"")
		case seen[route]:
			v.add(m.Name, "public route %q is listed twice: list it once", route)
		}
		seen[route] = true
	}
}

// checkPath normalises m.Path and checks that it is a clean path whose segments need no
// percent-encoding, so that the decoded and the escaped form of a request path match it
// alike. A problem quotes m.WrittenPath when it is set.
func (v *validator) checkPath(m *Micro) {
	if m.Primary {
		if m.Path != "" && m.Path != "/" {
			v.add(m.Name, "the primary has Path %q: the primary serves \"/\", so leave Path "+
				"empty", m.Path)
		}
		m.Path = "/"
		return
	}
	m.Path = NormalisePath(m.Name, m.Path)
	written := cmp.Or(m.WrittenPath, m.Path)
	if m.Path == "/" {
		if written == "/" {
			v.add(m.Name, "Path is \"/\": only the primary serves \"/\", so give a prefix "+
				"such as \"/api\"")
		} else {
			v.add(m.Name, "Path %q normalises to \"/\": only the primary serves \"/\", so "+
				"give a prefix such as \"/api\"", written)
		}
		return
	}
	for _, seg := range strings.Split(m.Path[1:], "/") {
		if msg := checkSegment(seg); msg != "" {
			v.add(m.Name, "invalid Path %q: %s", written, msg)
			return
		}
	}
}

func checkSegment(seg string) string {
	switch {
	case seg == "":
		return "it has an empty segment: remove the doubled \"/\""
	case seg == "." || seg == "..":
		return fmt.Sprintf("segment %q is not allowed: use a clean path", seg)
	case url.PathEscape(seg) != seg:
		return fmt.Sprintf("segment %q needs percent-encoding: use characters that a URL "+
			"path carries as they are, such as letters, digits and -._~", seg)
	}
	return ""
}

func (v *validator) checkUnique(micros []Micro) {
	names := make(map[string]bool, len(micros))
	paths := make(map[string]string, len(micros))
	actions := make(map[string]string)
	for _, m := range micros {
		if names[m.Name] && m.Name != "" {
			v.add(m.Name, "the name is used by another Micro too: give each Micro its own name")
		}
		names[m.Name] = true
		// Two Micros at "/" already break the rule of one primary, and two of the same name
		// the rule of unique names.
		if other, ok := paths[m.Path]; ok && m.Path != "/" && other != m.Name {
			v.add(m.Name, "Path %q is already served by Micro %q: give each Micro its own "+
				"path", m.Path, other)
		}
		paths[m.Path] = m.Name
		v.checkActions(m, actions)
	}
}

func (v *validator) checkActions(m Micro, seen map[string]string) {
	for _, id := range m.Actions {
		if id == "" {
			v.add(m.Name, "an action id is empty: give each action an id")
			continue
		}
		if other, ok := seen[id]; ok {
			v.add(m.Name, "action %q is already declared by Micro %q: action ids are unique "+
				"in the app", id, other)
		}
		seen[id] = m.Name
	}
}
