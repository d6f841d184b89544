package spacefile

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// maxNodes bounds the YAML nodes one parse visits. Aliases let a small file name the same
// list many times over, so without a bound a few kilobytes could cost minutes. A real
// Spacefile has a few hundred nodes.
const maxNodes = 100_000

// entry is one key of a YAML mapping with its value.
type entry struct {
	key   string
	line  int
	value *yaml.Node
}

// visit follows n's aliases and counts it against maxNodes. It returns false once the budget
// is spent, after reporting that once.
func (d *decoder) visit(n *yaml.Node) (*yaml.Node, bool) {
	if d.nodesLeft <= 0 {
		if d.nodesLeft == 0 {
			d.addTop(n.Line, "", fmt.Sprintf("the Spacefile expands to more than %d YAML "+
				"values through its aliases; write the repeated parts out", maxNodes))
			d.nodesLeft--
		}
		return nil, false
	}
	d.nodesLeft--
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n, true
}

// entries returns the keys of the mapping n in file order, with the keys of merged mappings
// (<<: *anchor) after them unless written out. It reports a repeated key, as the space CLI's
// YAML decoder did, and a key that is not a scalar.
func (d *decoder) entries(n *yaml.Node, field string) ([]entry, bool) {
	n, ok := d.visit(n)
	if !ok {
		return nil, false
	}
	if n.Kind != yaml.MappingNode {
		d.add(n.Line, field, "must be a mapping of keys to values, not "+describe(n))
		return nil, false
	}
	var list, merged []entry
	seen := make(map[string]int)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		if key.ShortTag() == "!!merge" {
			merged = append(merged, d.merge(value, field)...)
			continue
		}
		if d.checkKey(key, field, seen) {
			seen[key.Value] = key.Line
			list = append(list, entry{key: key.Value, line: key.Line, value: value})
		}
	}
	for _, e := range merged {
		if _, ok := seen[e.key]; !ok {
			seen[e.key] = e.line
			list = append(list, e)
		}
	}
	return list, true
}

// checkKey reports a key that is not a scalar or that the mapping already has.
func (d *decoder) checkKey(key *yaml.Node, field string, seen map[string]int) bool {
	if key.Kind != yaml.ScalarNode {
		d.add(key.Line, field, "has a key that is "+describe(key)+"; keys must be plain names")
		return false
	}
	if first, ok := seen[key.Value]; ok {
		d.add(key.Line, join(field, key.Value), fmt.Sprintf("appears twice in the same "+
			"mapping (lines %d and %d); remove one of them", first, key.Line))
		return false
	}
	return true
}

// merge returns the entries of the mapping, or list of mappings, that a merge key names.
func (d *decoder) merge(value *yaml.Node, field string) []entry {
	n, ok := d.visit(value)
	if !ok {
		return nil
	}
	if d.merging[n] {
		d.add(value.Line, field, "a merge key (<<) includes the mapping it belongs to; remove it")
		return nil
	}
	d.merging[n] = true
	defer delete(d.merging, n)
	if n.Kind != yaml.SequenceNode {
		list, _ := d.entries(n, field)
		return list
	}
	var list []entry
	for _, item := range n.Content {
		more, _ := d.entries(item, field)
		list = append(list, more...)
	}
	return list
}

// str returns e's value when it is a string.
func (d *decoder) str(e entry, field string) (string, bool) {
	n, ok := d.visit(e.value)
	if !ok {
		return "", false
	}
	return d.scalarString(n, e.line, field)
}

func (d *decoder) scalarString(n *yaml.Node, line int, field string) (string, bool) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
		return n.Value, true
	}
	d.add(line, field, "must be a string, not "+describe(n)+quoteHint(n))
	return "", false
}

// boolean returns e's value when it is a YAML 1.2 boolean.
func (d *decoder) boolean(e entry, field string) (bool, bool) {
	n, ok := d.visit(e.value)
	if !ok {
		return false, false
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" {
		switch n.Value {
		case "true", "True", "TRUE":
			return true, true
		case "false", "False", "FALSE":
			return false, true
		}
	}
	d.add(e.line, field, "must be true or false, not "+describe(n)+
		"; YAML 1.2 has no other booleans, so yes, no, on and off are strings")
	return false, false
}

// list returns the items of e's value when it is a non-empty list.
func (d *decoder) list(e entry, field, what string) ([]*yaml.Node, bool) {
	n, ok := d.visit(e.value)
	if !ok {
		return nil, false
	}
	if n.Kind != yaml.SequenceNode {
		d.add(e.line, field, "must be a list of "+what+", not "+describe(n))
		return nil, false
	}
	if len(n.Content) == 0 {
		d.add(e.line, field, "is an empty list; list at least one item or remove the key")
		return nil, false
	}
	return n.Content, true
}

// stringList returns the items of e's value when it is a non-empty list of strings, with the
// line of each item.
func (d *decoder) stringList(e entry, field string) ([]string, []int) {
	items, ok := d.list(e, field, "strings")
	if !ok {
		return nil, nil
	}
	values := make([]string, 0, len(items))
	lines := make([]int, 0, len(items))
	for i, item := range items {
		n, ok := d.visit(item)
		if !ok {
			return values, lines
		}
		value, ok := d.scalarString(n, item.Line, index(field, i))
		if ok {
			values = append(values, value)
			lines = append(lines, item.Line)
		}
	}
	return values, lines
}

// describe names the YAML value n for a message, such as "the integer 512" or "a list".
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return describeScalar(n)
	}
	return "an empty value"
}

func describeScalar(n *yaml.Node) string {
	switch n.ShortTag() {
	case "!!null":
		return "an empty value"
	case "!!str":
		return fmt.Sprintf("the string %q", excerpt(n.Value))
	case "!!int":
		return fmt.Sprintf("the integer %s", excerpt(n.Value))
	case "!!float":
		return fmt.Sprintf("the number %s", excerpt(n.Value))
	case "!!bool":
		return fmt.Sprintf("the boolean %s", excerpt(n.Value))
	case "!!timestamp":
		return fmt.Sprintf("the timestamp %s", excerpt(n.Value))
	}
	return fmt.Sprintf("a value tagged %s", excerpt(n.ShortTag()))
}

// quoteHint returns the fix for a scalar where a string belongs: quotes for a value that YAML
// typed as a number, boolean or timestamp, or a value for an empty one.
func quoteHint(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		return ""
	}
	switch n.ShortTag() {
	case "!!int", "!!float", "!!bool", "!!timestamp":
		return fmt.Sprintf("; quote it to make it a string: %q", excerpt(n.Value))
	case "!!null":
		return "; give it a value or remove the key"
	}
	return ""
}

// join appends key to the field path parent, as in "presets.env".
func join(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// index names item i of the list field, as in "commands[0]".
func index(field string, i int) string {
	return fmt.Sprintf("%s[%d]", field, i)
}
