package spacefile

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Parse decodes and validates the Spacefile in data. It returns a [*ValidationError] that
// lists every problem when data breaks any rule. Parse reads no files, so it does not check
// that the src folders exist. [Load] does.
func Parse(data []byte) (*Spacefile, error) {
	d := parse(data)
	if err := d.err(""); err != nil {
		return nil, err
	}
	return d.spacefile, nil
}

// decoder holds the state of one parse: the Spacefile built so far and the problems found.
type decoder struct {
	spacefile *Spacefile
	micros    []microKeys // parallel to spacefile.Micros
	topKeys   map[string]int
	problems  []Problem
	nodesLeft int
	merging   map[*yaml.Node]bool

	// micro and prefix locate the problems of the Micro being decoded: its name, or when it
	// has none, a prefix such as "micros[2]." for the field.
	micro  string
	prefix string
}

// microKeys records, for one Micro, what only validation needs: the line of each key
// present and the raw values that normalisation replaces.
type microKeys struct {
	lines   map[string]int
	primary bool
	path    string
}

// parse runs every check that needs no disk access and keeps the partial result, so that
// [Load] can add its own problems to the same list.
func parse(data []byte) *decoder {
	d := &decoder{
		spacefile: &Spacefile{},
		topKeys:   make(map[string]int),
		nodesLeft: maxNodes,
		merging:   make(map[*yaml.Node]bool),
	}
	root, ok := d.document(data)
	if !ok {
		return d
	}
	d.decodeFile(root)
	d.validate()
	return d
}

// err returns the problems found as a [*ValidationError] sorted by line, or nil.
func (d *decoder) err(file string) error {
	if len(d.problems) == 0 {
		return nil
	}
	problems := slices.Clone(d.problems)
	slices.SortStableFunc(problems, func(a, b Problem) int { return a.Line - b.Line })
	return &ValidationError{File: file, Problems: problems}
}

// add records a problem of the Micro being decoded, or a top-level one outside a Micro.
func (d *decoder) add(line int, field, message string) {
	d.problems = append(d.problems, Problem{
		Line:    max(line, 1),
		Micro:   d.micro,
		Field:   strings.TrimSuffix(d.prefix+field, "."),
		Message: message,
	})
}

// addTop records a problem that belongs to no Micro.
func (d *decoder) addTop(line int, field, message string) {
	d.problems = append(d.problems, Problem{Line: max(line, 1), Field: field, Message: message})
}

// document decodes data into a YAML node tree and returns its root.
func (d *decoder) document(data []byte) (*yaml.Node, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) || (err == nil && isEmptyDocument(&doc)) {
		d.addTop(1, "", "the Spacefile is empty; start it with v: 0 and a micros list")
		return nil, false
	}
	if err != nil {
		d.syntaxError(data, err)
		return nil, false
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		d.addTop(next.Line, "", "a second YAML document starts here; a Spacefile holds one, "+
			"so remove the --- line and what follows it")
	} else if !errors.Is(err, io.EOF) {
		d.syntaxError(data, err)
	}
	return doc.Content[0], true
}

// isEmptyDocument reports whether doc has no content, or only a null such as "---" or "~".
func isEmptyDocument(doc *yaml.Node) bool {
	if len(doc.Content) == 0 {
		return true
	}
	root := doc.Content[0]
	return root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null"
}

// yamlErrorLine matches the position that go.yaml.in/yaml/v3 puts in its syntax errors.
var yamlErrorLine = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxError reports a YAML syntax error. For a TAB in indentation, the YAML parser often
// reports "found character that cannot start any token" or puts its error on the line before.
// So every line indented with a TAB is named, and the parser's own error is left out when it
// concerns the same TAB.
func (d *decoder) syntaxError(data []byte, err error) {
	tabs := tabIndentedLines(data)
	for _, line := range tabs {
		d.addTop(line, "", "this line is indented with a tab; YAML allows only spaces "+
			"for indentation, so replace each tab with spaces")
	}
	line, message := 1, strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlErrorLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		message = strings.TrimPrefix(err.Error(), m[0])
	}
	if !slices.Contains(tabs, line) && !(len(tabs) > 0 && strings.Contains(message, "tab")) {
		d.addTop(line, "", "invalid YAML: "+cutRunes(message, maxForeignMessageRunes)+
			"; fix the syntax on this line or the one before it")
	}
}

// tabIndentedLines returns the numbers of the lines whose indentation has a TAB, leaving out
// blank lines and comments, where YAML allows one.
func tabIndentedLines(data []byte) []int {
	var lines []int
	for i, line := range bytes.Split(data, []byte("\n")) {
		text := bytes.TrimLeft(line, " \t")
		indent := line[:len(line)-len(text)]
		if bytes.IndexByte(indent, '\t') < 0 {
			continue
		}
		text = bytes.TrimRight(text, "\r")
		if len(text) > 0 && text[0] != '#' {
			lines = append(lines, i+1)
		}
	}
	return lines
}
