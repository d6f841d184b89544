package spacefile

import (
	"fmt"
	"strings"
)

// microFieldList names the keys of a Micro for the unknown-key message.
const microFieldList = "name, src, engine, primary, path, serve, commands, include, run, dev, " +
	"presets, public, public_routes, actions and provide_actions"

// microFields decodes each key allowed in a Micro. The checks that involve two keys, such as
// serve and engine, run later in validate.
var microFields = map[string]func(*decoder, *Micro, *microKeys, entry){
	"name":            func(*decoder, *Micro, *microKeys, entry) {}, // read by decodeMicroName
	"src":             decodeSrc,
	"engine":          decodeEngine,
	"primary":         decodePrimary,
	"path":            decodePath,
	"serve":           decodeServe,
	"commands":        decodeCommands,
	"include":         decodeInclude,
	"run":             decodeRun,
	"dev":             decodeDev,
	"presets":         decodePresets,
	"public":          decodePublic,
	"public_routes":   decodePublicRoutes,
	"actions":         decodeActions,
	"provide_actions": decodeProvideActions,
}

func decodeSrc(d *decoder, m *Micro, _ *microKeys, e entry) {
	src, ok := d.str(e, "src")
	if !ok {
		return
	}
	switch {
	case strings.TrimSpace(src) == "":
		d.add(e.line, "src", "is empty; set it to the micro's folder relative to the "+
			"project root, such as . or ./api")
	case isAbsolute(src):
		d.add(e.line, "src", fmt.Sprintf("%q is an absolute path; write it relative to the "+
			"project root, such as ./api", excerpt(src)))
	}
	m.Src = src
}

func decodeEngine(d *decoder, m *Micro, _ *microKeys, e entry) {
	engine, ok := d.str(e, "engine")
	if !ok {
		return
	}
	if !isEngine(engine) {
		d.add(e.line, "engine", fmt.Sprintf("%q is not a Space engine; use one of %s "+
			"(custom runs any other language, such as Go, Rust or Deno)", excerpt(engine),
			engineList))
	}
	m.Engine = engine
}

func decodePrimary(d *decoder, _ *Micro, keys *microKeys, e entry) {
	keys.primary, _ = d.boolean(e, "primary")
}

func decodePath(d *decoder, _ *Micro, keys *microKeys, e entry) {
	keys.path, _ = d.str(e, "path")
}

func decodeServe(d *decoder, m *Micro, _ *microKeys, e entry) {
	serve, ok := d.str(e, "serve")
	if !ok {
		return
	}
	switch {
	case strings.TrimSpace(serve) == "":
		d.add(e.line, "serve", "is empty; set it to the folder under src to serve, such as dist")
	case isAbsolute(serve):
		d.add(e.line, "serve", fmt.Sprintf("%q is an absolute path; write it relative to src, "+
			"such as dist", excerpt(serve)))
	}
	m.Serve = serve
}

func decodeCommands(d *decoder, m *Micro, _ *microKeys, e entry) {
	m.Commands, _ = d.stringList(e, "commands")
}

func decodeInclude(d *decoder, m *Micro, _ *microKeys, e entry) {
	include, lines := d.stringList(e, "include")
	d.checkUnique(include, lines, "include")
	m.Include = include
}

func decodeRun(d *decoder, m *Micro, _ *microKeys, e entry) {
	m.Run, _ = d.str(e, "run")
}

func decodeDev(d *decoder, m *Micro, _ *microKeys, e entry) {
	m.Dev, _ = d.str(e, "dev")
}

func decodePublic(d *decoder, m *Micro, _ *microKeys, e entry) {
	m.Public, _ = d.boolean(e, "public")
}

func decodePublicRoutes(d *decoder, m *Micro, _ *microKeys, e entry) {
	routes, lines := d.stringList(e, "public_routes")
	for i, route := range routes {
		if problem := routeProblem(route); problem != "" {
			d.add(lines[i], "public_routes", problem)
		}
	}
	d.checkUnique(routes, lines, "public_routes")
	m.PublicRoutes = routes
}

// routeProblem returns why a public route can never match a request, or "". The router
// matches routes against the cleaned path below the Micro's prefix, which starts with "/" and
// has no empty, "." or ".." segments.
func routeProblem(route string) string {
	switch {
	case route == "":
		return "has an empty route; remove it or write a pattern such as /public/*"
	case route[0] != '/':
		return fmt.Sprintf("%q must start with \"/\" because routes are relative to the "+
			"micro's root; write \"/%s\"", excerpt(route), excerpt(route))
	case strings.Contains(route, "//"), strings.Contains(route, "/./"),
		strings.Contains(route, "/../"), strings.HasSuffix(route, "/."),
		strings.HasSuffix(route, "/.."):
		return fmt.Sprintf("%q never matches a cleaned request path; remove its empty, . "+
			"and .. segments", excerpt(route))
	}
	return ""
}

func decodeProvideActions(d *decoder, m *Micro, _ *microKeys, e entry) {
	m.ProvideActions, _ = d.boolean(e, "provide_actions")
}

// checkUnique reports each value of a list that an earlier item already has.
func (d *decoder) checkUnique(values []string, lines []int, field string) {
	first := make(map[string]int, len(values))
	for i, value := range values {
		if line, ok := first[value]; ok {
			d.add(lines[i], field, fmt.Sprintf("lists %q twice (lines %d and %d); remove one",
				excerpt(value), line, lines[i]))
			continue
		}
		first[value] = lines[i]
	}
}
