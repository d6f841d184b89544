package spacetest

import (
	"errors"
	"fmt"
	"maps"
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

// FromSpacefileNewHandlers is [FromSpacefile] for handlers built from the App's environment:
// newHandlers maps each Micro's name to its [Micro].NewHandler. For a Micro with a fixed
// handler h, pass a function that returns h, nil.
func FromSpacefileNewHandlers(t testing.TB, dir string,
	newHandlers map[string]func(app *App) (http.Handler, error)) *App {
	t.Helper()
	return New(t, MicrosFromSpacefileNewHandlers(t, dir, newHandlers)...)
}

// MicrosFromSpacefile returns the Micros that dir/Spacefile describes, each served by its
// entry in handlers, for [NewWithOptions]. Each Micro gets its name, normalised path, primary
// flag, public and public_routes, presets.api_keys as AppKeys, the ids of its actions, and
// in Env the default of each presets.env entry that has one. A normalised path that still
// ends with "/", as "api//" gives "/api/", gets a second "/", because New normalises Path
// once more as a Spacefile's path. The Spacefile is validated as [spacefile.Parse] does; its
// src folders need not exist, since the handlers replace them. It fails the test as
// FromSpacefile does.
func MicrosFromSpacefile(t testing.TB, dir string, handlers map[string]http.Handler) []Micro {
	t.Helper()
	sources := make(map[string]Micro, len(handlers))
	for name, h := range handlers {
		sources[name] = Micro{Handler: h}
	}
	return microsFromSpacefile(t, dir, "handlers", sources)
}

// MicrosFromSpacefileNewHandlers is [MicrosFromSpacefile] with the NewHandler of each Micro
// in place of its handler, for [NewWithOptions].
func MicrosFromSpacefileNewHandlers(t testing.TB, dir string,
	newHandlers map[string]func(app *App) (http.Handler, error)) []Micro {
	t.Helper()
	sources := make(map[string]Micro, len(newHandlers))
	for name, newHandler := range newHandlers {
		sources[name] = Micro{NewHandler: newHandler}
	}
	return microsFromSpacefile(t, dir, "newHandlers", sources)
}

// microsFromSpacefile returns the Micros of dir/Spacefile, each with the Handler and
// NewHandler of its entry in sources. param names the caller's map in errors.
func microsFromSpacefile(t testing.TB, dir, param string, sources map[string]Micro) []Micro {
	t.Helper()
	file := filepath.Join(dir, spacefile.FileName)
	sf, err := parseSpacefile(file)
	if err != nil {
		t.Fatalf("spacetest: FromSpacefile(%q): %v", dir, err)
	}
	if err := checkSources(sf, param, sources); err != nil {
		t.Fatalf("spacetest: FromSpacefile(%q): %v", dir, err)
	}
	micros := make([]Micro, len(sf.Micros))
	for i, m := range sf.Micros {
		micros[i] = fromSpacefileMicro(m, sources[m.Name])
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

// checkSources reports Micros without a handler and entries of sources, the caller's map
// called param, without a Micro.
func checkSources(sf *spacefile.Spacefile, param string, sources map[string]Micro) error {
	var problems []string
	names := make([]string, len(sf.Micros))
	for i, m := range sf.Micros {
		names[i] = m.Name
		source := sources[m.Name]
		if source.Handler == nil && source.NewHandler == nil {
			problems = append(problems, fmt.Sprintf("Micro %q has no handler: add "+
				"%s[%q]", m.Name, param, m.Name))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(sources)) {
		if !slices.Contains(names, name) {
			problems = append(problems, fmt.Sprintf("%s[%q]: the Spacefile has no such "+
				"Micro; it has %s", param, name, strings.Join(quoteAll(names), ", ")))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

func fromSpacefileMicro(m *spacefile.Micro, source Micro) Micro {
	micro := Micro{Name: m.Name, Primary: m.Primary, Handler: source.Handler,
		NewHandler: source.NewHandler, Public: m.Public, PublicRoutes: m.PublicRoutes,
		AppKeys: m.Presets.APIKeys}
	if !m.Primary {
		micro.Path = m.Path
		// New normalises Path as a Spacefile's path, which removes one trailing "/" again.
		if strings.HasSuffix(micro.Path, "/") {
			micro.Path += "/"
		}
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
