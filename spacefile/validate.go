package spacefile

import (
	"fmt"
	"strings"
)

// requiredMicroFields maps each key that every Micro needs to the fix for its absence.
var requiredMicroFields = []struct{ key, fix string }{
	{"name", "name the micro with letters, digits, - and _"},
	{"src", "set src to the micro's folder relative to the project root, such as ."},
	{"engine", "set engine to one of " + engineList},
}

// validate runs the checks that involve more than one key or more than one Micro, and sets
// the normalised Primary and Path of every Micro.
func (d *decoder) validate() {
	for i := range d.spacefile.Micros {
		d.validateMicro(i)
	}
	d.resolvePrimary()
	d.setPaths()
	d.checkNames()
	d.checkPaths()
	d.checkActions()
}

// addAt records a problem of Micro i, found after decoding.
func (d *decoder) addAt(i, line int, field, message string) {
	m := d.spacefile.Micros[i]
	if m.Name == "" {
		field = index("micros", i) + "." + field
	}
	if line == 0 {
		line = m.Line
	}
	d.problems = append(d.problems, Problem{
		Line: max(line, 1), Micro: m.Name, Field: field, Message: message,
	})
}

// validateMicro checks the required keys of Micro i and the rules that tie keys to its
// engine.
func (d *decoder) validateMicro(i int) {
	m, lines := d.spacefile.Micros[i], d.micros[i].lines
	for _, f := range requiredMicroFields {
		if _, ok := lines[f.key]; !ok {
			d.addAt(i, m.Line, f.key, "missing; "+f.fix)
		}
	}
	d.checkEngineKeys(i)
	_, hasPublic := lines["public"]
	routesLine, hasRoutes := lines["public_routes"]
	if hasPublic && hasRoutes {
		d.addAt(i, routesLine, "public_routes", "cannot be combined with public, "+
			"whatever its value; keep public: true to make every route public, or "+
			"public_routes to list the public ones")
	}
}

// checkEngineKeys checks serve and include, which depend on whether the engine serves a
// folder of files.
func (d *decoder) checkEngineKeys(i int) {
	m, lines := d.spacefile.Micros[i], d.micros[i].lines
	if !isEngine(m.Engine) {
		return
	}
	_, hasServe := lines["serve"]
	switch {
	case m.Engine == engineStatic && !hasServe:
		d.addAt(i, m.Line, "serve", "missing; a static micro needs serve, the folder under "+
			"src to serve, such as dist")
	case hasServe && !isServingEngine(m.Engine):
		d.addAt(i, lines["serve"], "serve", fmt.Sprintf("is not allowed for engine %q; only "+
			"static, react, vue and svelte serve a folder, so remove it", excerpt(m.Engine)))
	}
	if _, ok := lines["include"]; ok && isServingEngine(m.Engine) {
		d.addAt(i, lines["include"], "include", fmt.Sprintf("is not allowed for engine %q, "+
			"which packages its serve folder; remove include", excerpt(m.Engine)))
	}
}

// resolvePrimary sets Primary on every Micro. A lone Micro is primary whatever its primary key
// is, as in the space CLI. With more Micros, exactly one must set primary: true.
func (d *decoder) resolvePrimary() {
	micros := d.spacefile.Micros
	if len(micros) == 1 {
		micros[0].Primary = true
		return
	}
	first := -1
	for i, m := range micros {
		m.Primary = d.micros[i].primary
		switch {
		case m.Primary && first < 0:
			first = i
		case m.Primary:
			d.addAt(i, d.micros[i].lines["primary"], "primary", fmt.Sprintf("micro %q on line "+
				"%d already sets primary: true, and exactly one micro may",
				excerpt(micros[first].Name), micros[first].Line))
		}
	}
	if first < 0 && len(micros) > 1 {
		d.addTop(d.topKeys["micros"], "micros", "no micro is primary; set primary: true on "+
			"the micro that serves /")
	}
}

// setPaths sets every Micro's normalised path.
func (d *decoder) setPaths() {
	for i, m := range d.spacefile.Micros {
		m.Path = "/"
		if !m.Primary {
			m.Path = NormalisePath(m.Name, d.micros[i].path)
		}
	}
}

// NormalisePath returns the path of the non-primary Micro called name as the space CLI
// normalised it: an empty path means the name, a leading "/" is added and one trailing "/"
// removed. So "/" becomes "", which [Parse] rejects for a non-primary Micro.
func NormalisePath(name, path string) string {
	if path == "" {
		path = name
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return strings.TrimSuffix(path, "/")
}

// checkNames reports a Micro name used twice.
func (d *decoder) checkNames() {
	lines := make(map[string]int)
	for i, m := range d.spacefile.Micros {
		if m.Name == "" {
			continue
		}
		if line, ok := lines[m.Name]; ok {
			d.addAt(i, d.micros[i].lines["name"], "name", fmt.Sprintf("%q is also the name "+
				"of the micro on line %d; micro names must be unique", excerpt(m.Name), line))
			continue
		}
		lines[m.Name] = m.Line
	}
}
