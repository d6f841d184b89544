package spacefile

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decodePresets decodes presets, which holds env and api_keys.
func decodePresets(d *decoder, m *Micro, _ *microKeys, e entry) {
	entries, ok := d.entries(e.value, "presets")
	if !ok {
		return
	}
	for _, p := range entries {
		switch p.key {
		case "env":
			m.Presets.Env = d.decodeEnvList(p)
		case "api_keys":
			m.Presets.APIKeys, _ = d.boolean(p, "presets.api_keys")
		default:
			d.add(p.line, join("presets", p.key), "unknown key; presets allows only env and "+
				"api_keys")
		}
	}
}

func (d *decoder) decodeEnvList(e entry) []EnvPreset {
	items, ok := d.list(e, "presets.env", "variables")
	if !ok {
		return nil
	}
	env := make([]EnvPreset, 0, len(items))
	for i, item := range items {
		if preset, ok := d.decodeEnv(item, index("presets.env", i)); ok {
			env = append(env, preset)
		}
	}
	return env
}

// decodeEnv decodes one presets.env item: name (required), description and default, all
// strings.
func (d *decoder) decodeEnv(item *yaml.Node, field string) (EnvPreset, bool) {
	entries, ok := d.entries(item, field)
	if !ok {
		return EnvPreset{}, false
	}
	var preset EnvPreset
	hasName := false
	for _, e := range entries {
		switch e.key {
		case "name":
			preset.Name, _ = d.str(e, join(field, "name"))
			hasName = true
			d.checkEnvName(e.line, preset.Name, join(field, "name"))
		case "description":
			preset.Description, _ = d.str(e, join(field, "description"))
		case "default":
			preset.Default, _ = d.str(e, join(field, "default"))
		default:
			d.add(e.line, join(field, e.key), "unknown key; an env preset allows only name, "+
				"description and default")
		}
	}
	if !hasName {
		d.add(item.Line, join(field, "name"), "missing; every env preset needs the variable's "+
			"name")
	}
	return preset, true
}

// checkEnvName rejects the names that no process environment can hold.
func (d *decoder) checkEnvName(line int, name, field string) {
	switch {
	case name == "":
		d.add(line, field, "is empty; set it to the variable's name, such as API_TOKEN")
	case strings.ContainsAny(name, "=\x00"):
		d.add(line, field, fmt.Sprintf("%q contains \"=\" or a NUL byte, which an "+
			"environment variable's name cannot; rename it", excerpt(name)))
	}
}
