package spacefile

import (
	"fmt"
	"regexp"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

const (
	maxMicros     = 5
	maxAppNameLen = 12
)

// topLevelFields decodes each key allowed at the top level of a Spacefile.
var topLevelFields = map[string]func(*decoder, entry){
	"v":        (*decoder).decodeVersion,
	"micros":   (*decoder).decodeMicros,
	"icon":     (*decoder).decodeIcon,
	"app_name": (*decoder).decodeAppName,
	"auto_pwa": (*decoder).decodeAutoPWA,
}

// decodeFile decodes the top-level mapping.
func (d *decoder) decodeFile(root *yaml.Node) {
	if root.Kind != yaml.MappingNode {
		d.addTop(root.Line, "", "the Spacefile must be a mapping with the keys v and micros, "+
			"not "+describe(root))
		return
	}
	entries, _ := d.entries(root, "")
	for _, e := range entries {
		d.topKeys[e.key] = e.line
		decode, ok := topLevelFields[e.key]
		if !ok {
			d.addTop(e.line, e.key, "unknown key; the top level allows only v, micros, icon, "+
				"app_name and auto_pwa")
			continue
		}
		decode(d, e)
	}
	d.requireTopLevel(root.Line)
}

func (d *decoder) requireTopLevel(line int) {
	if _, ok := d.topKeys["v"]; !ok {
		d.addTop(line, "v", "missing; add v: 0, the Spacefile version, at the top level")
	}
	if _, ok := d.topKeys["micros"]; !ok {
		d.addTop(line, "micros", "missing; add a micros list with 1 to 5 micros")
	}
}

// decodeVersion checks v, which must be the integer 0.
func (d *decoder) decodeVersion(e entry) {
	n, ok := d.visit(e.value)
	if !ok {
		return
	}
	var version int64
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&version) != nil {
		d.addTop(e.line, "v", "the Spacefile version must be the integer 0, not "+describe(n)+
			"; write v: 0 without quotes")
		return
	}
	if version != 0 {
		d.addTop(e.line, "v", fmt.Sprintf("version %d is not supported; set v: 0, the only "+
			"Spacefile version", version))
	}
	d.spacefile.V = int(version)
}

// NOTE: Space also required the icon to be a PNG or WebP file of 512x512 pixels. Neither Parse
// nor Load opens the file, so a missing or wrong icon passes.
func (d *decoder) decodeIcon(e entry) {
	d.spacefile.Icon, _ = d.str(e, "icon")
}

// decodeAppName checks app_name, which Space limits to 12 characters.
func (d *decoder) decodeAppName(e entry) {
	name, ok := d.str(e, "app_name")
	if !ok {
		return
	}
	if n := utf8.RuneCountInString(name); n > maxAppNameLen {
		d.addTop(e.line, "app_name", fmt.Sprintf("%q has %d characters; shorten it to at most "+
			"%d", excerpt(name), n, maxAppNameLen))
	}
	d.spacefile.AppName = name
}

func (d *decoder) decodeAutoPWA(e entry) {
	if value, ok := d.boolean(e, "auto_pwa"); ok {
		d.spacefile.AutoPWA = &value
	}
}

// decodeMicros decodes the micros list, which holds 1 to 5 Micros.
func (d *decoder) decodeMicros(e entry) {
	n, ok := d.visit(e.value)
	if !ok {
		return
	}
	switch {
	case n.Kind != yaml.SequenceNode:
		d.addTop(e.line, "micros", "must be a list of 1 to 5 micros, not "+describe(n))
		return
	case len(n.Content) == 0:
		d.addTop(e.line, "micros", "is an empty list; an app needs at least one micro")
	case len(n.Content) > maxMicros:
		d.addTop(e.line, "micros", fmt.Sprintf("lists %d micros; an app may have at most %d, "+
			"so remove or merge some", len(n.Content), maxMicros))
	}
	for i, item := range n.Content {
		d.decodeMicro(item, i)
	}
}

// decodeMicro decodes one Micro. Its name is read first, so that every problem of the Micro
// can carry it.
func (d *decoder) decodeMicro(item *yaml.Node, i int) {
	d.micro, d.prefix = peekName(item), ""
	if d.micro == "" {
		d.prefix = index("micros", i) + "."
	}
	defer func() { d.micro, d.prefix = "", "" }()
	entries, ok := d.entries(item, "")
	if !ok {
		return
	}
	m := &Micro{Line: item.Line}
	keys := microKeys{lines: make(map[string]int)}
	d.decodeMicroName(m, entries)
	for _, e := range entries {
		keys.lines[e.key] = e.line
		decode, ok := microFields[e.key]
		if !ok {
			d.add(e.line, e.key, "unknown key; a micro allows only "+microFieldList)
			continue
		}
		decode(d, m, &keys, e)
	}
	d.spacefile.Micros = append(d.spacefile.Micros, m)
	d.micros = append(d.micros, keys)
}

// peekName returns the Micro's name when item is a mapping with a string name, so that the
// problems found while reading its keys, such as a repeated key, can carry it.
func peekName(item *yaml.Node) string {
	for item.Kind == yaml.AliasNode && item.Alias != nil {
		item = item.Alias
	}
	if item.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(item.Content); i += 2 {
		key, value := item.Content[i], item.Content[i+1]
		if key.Value == "name" && value.Kind == yaml.ScalarNode && value.ShortTag() == "!!str" {
			return value.Value
		}
	}
	return ""
}

// microName is the pattern of a Micro's name, from the space CLI's schema (v0.4.2).
var microName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

// decodeMicroName checks the Micro's name and sets m.Name, and the name that the Micro's
// problems carry, when it is a non-empty string.
func (d *decoder) decodeMicroName(m *Micro, entries []entry) {
	for _, e := range entries {
		if e.key != "name" {
			continue
		}
		name, ok := d.str(e, "name")
		if !ok {
			return
		}
		if name == "" {
			d.add(e.line, "name", "is empty; name the micro with letters, digits, - and _")
			return
		}
		m.Name = name
		d.micro, d.prefix = name, ""
		if !microName.MatchString(name) {
			d.add(e.line, "name", fmt.Sprintf("%q is not a valid micro name; use only "+
				"letters, digits, - and _, starting with a letter or digit", excerpt(name)))
		}
	}
}
