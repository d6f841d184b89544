package spacetest

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spacekit/spacekit/spacefile"
)

// FromSpacefile starts the app that dir/Spacefile describes, as [New] does, with handlers in
// place of the Micros' sources: handlers maps each Micro's name to its handler. See
// [MicrosFromSpacefile] for what comes from the Spacefile. An invalid Spacefile, a Micro
// without a handler, or a handler for a Micro that the Spacefile lacks fails the test.
func FromSpacefile(t testing.TB, dir string, handlers map[string]http.Handler) *App {
	t.Helper()
	return New(t, MicrosFromSpacefile(t, dir, handlers)...)
}

// MicrosFromSpacefile returns the Micros that dir/Spacefile describes, each served by its
// entry in handlers, for [NewWithOptions]. Each Micro gets its name, normalised path, primary
// flag, public and public_routes, presets.api_keys as AppKeys, the ids of its actions, and
// in Env the default of each presets.env entry that has one. The Spacefile is validated as
// [spacefile.Parse] does; its src folders need not exist, since the handlers replace them.
// It fails the test as FromSpacefile does.
func MicrosFromSpacefile(t testing.TB, dir string, handlers map[string]http.Handler) []Micro {
	t.Helper()
	file := filepath.Join(dir, spacefile.FileName)
	sf, err := parseSpacefile(file)
	if err != nil {
		t.Fatalf("spacetest: FromSpacefile(%q): %v", dir, err)
	}
	if err := checkHandlers(sf, handlers); err != nil {
		t.Fatalf("spacetest: FromSpacefile(%q): %v", dir, err)
	}
	micros := make([]Micro, len(sf.Micros))
	for i, m := range sf.Micros {
		micros[i] = fromSpacefileMicro(m, handlers[m.Name])
	}
	return micros
}

// parseSpacefile reads and validates file. A validation error names the file, so each
// problem reads "path:line: ...".
func parseSpacefile(file string) (*spacefile.Spacefile, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	sf, err := spacefile.Parse(data)
	var invalid *spacefile.ValidationError
	if errors.As(err, &invalid) {
		invalid.File = file
	}
	return sf, err
}

// checkHandlers reports Micros without a handler and handlers without a Micro.
func checkHandlers(sf *spacefile.Spacefile, handlers map[string]http.Handler) error {
	var problems []string
	names := make([]string, len(sf.Micros))
	for i, m := range sf.Micros {
		names[i] = m.Name
		if handlers[m.Name] == nil {
			problems = append(problems, fmt.Sprintf("Micro %q has no handler: add "+
				"handlers[%q]", m.Name, m.Name))
		}
	}
	for _, name := range sortedKeys(handlers) {
		if !slices.Contains(names, name) {
			problems = append(problems, fmt.Sprintf("handlers[%q]: the Spacefile has no such "+
				"Micro; it has %s", name, strings.Join(quoteAll(names), ", ")))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

func sortedKeys(handlers map[string]http.Handler) []string {
	keys := make([]string, 0, len(handlers))
	for name := range handlers {
		keys = append(keys, name)
	}
	slices.Sort(keys)
	return keys
}

func fromSpacefileMicro(m *spacefile.Micro, h http.Handler) Micro {
	micro := Micro{Name: m.Name, Primary: m.Primary, Handler: h, Public: m.Public,
		PublicRoutes: m.PublicRoutes, AppKeys: m.Presets.APIKeys}
	if !m.Primary {
		micro.Path = m.Path
	}
	for _, preset := range m.Presets.Env {
		if preset.Default != "" {
			if micro.Env == nil {
				micro.Env = make(map[string]string)
			}
			micro.Env[preset.Name] = preset.Default
		}
	}
	for _, action := range m.Actions {
		micro.Actions = append(micro.Actions, action.ID)
	}
	return micro
}
