package spacefile

import (
	"fmt"
	"strings"
)

// reservedPrefix is the path under which the runtime serves its own endpoints, such as the
// action endpoint /__space/v0/actions.
const reservedPrefix = "/__space"

// checkPaths reports a non-primary Micro whose path cannot route: one that is empty or "/",
// that has characters a URL path prefix cannot hold, that the runtime reserves, or that
// another Micro has.
func (d *decoder) checkPaths() {
	owners := make(map[string]string)
	for i, m := range d.spacefile.Micros {
		if m.Primary || (m.Name == "" && d.micros[i].path == "") {
			continue // a nameless micro's default path is already reported as a missing name
		}
		line := d.micros[i].lines["path"]
		if problem := pathProblem(m.Path); problem != "" {
			d.addAt(i, line, "path", problem)
			continue
		}
		if owner, ok := owners[m.Path]; ok {
			d.addAt(i, line, "path", fmt.Sprintf("%q is also the path of micro %q; give each "+
				"micro its own path", excerpt(m.Path), excerpt(owner)))
			continue
		}
		owners[m.Path] = m.Name
	}
}

// pathProblem returns what is wrong with the normalised path of a non-primary Micro, or "".
func pathProblem(path string) string {
	switch {
	case path == "" || path == "/":
		return "\"/\" would give this micro every request of the primary micro; set path to " +
			"its own prefix, such as /api"
	case strings.ContainsFunc(path, isBadPathRune):
		return fmt.Sprintf("%q has a character that a URL path prefix cannot hold: a space, "+
			"control character, ?, # or %%; use letters, digits, - and /", excerpt(path))
	case hasDotSegment(path):
		return fmt.Sprintf("%q has a . or .. segment, which no cleaned request path keeps; "+
			"remove it", excerpt(path))
	case path == reservedPrefix || strings.HasPrefix(path, reservedPrefix+"/"):
		return fmt.Sprintf("%q is under %s, which the runtime reserves for its own "+
			"endpoints; choose another prefix", excerpt(path), reservedPrefix)
	}
	return ""
}

func isBadPathRune(r rune) bool {
	return r <= ' ' || r == 0x7f || r == '?' || r == '#' || r == '%'
}

func hasDotSegment(path string) bool {
	for segment := range strings.SplitSeq(path, "/") {
		if segment == "." || segment == ".." {
			return true
		}
	}
	return false
}
