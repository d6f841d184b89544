package spacefile_test

import (
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/spacekit/spacekit/spacefile"
)

// BenchmarkParse measures Parse, with every check, on a Spacefile of three Micros that uses
// every key.
func BenchmarkParse(b *testing.B) {
	data := []byte(notesApp)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := spacefile.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkYAMLUnmarshal measures what a program would do without the package: decode the
// same Spacefile into a map, with no checks and no line numbers.
func BenchmarkYAMLUnmarshal(b *testing.B) {
	data := []byte(notesApp)
	b.ReportAllocs()
	for b.Loop() {
		var out map[string]any
		if err := yaml.Unmarshal(data, &out); err != nil {
			b.Fatal(err)
		}
	}
}
