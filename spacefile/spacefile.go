package spacefile

import "path/filepath"

// FileName is the name of the file that [Load] reads from a project directory. Space matched it
// case-sensitively.
const FileName = "Spacefile"

// Spacefile is a validated Spacefile with its values normalised. The zero value has no Micros,
// and its methods return nil.
type Spacefile struct {
	// V is the Spacefile version. 0 is the only version.
	V int

	// Micros lists the app's Micros in file order: 1 to 5 of them, exactly one primary.
	Micros []*Micro

	// Icon is the path of the app's icon (PNG or WebP) as written, or "" when unset.
	Icon string

	// AppName is the app's display name of at most 12 characters, or "" when unset. Space
	// deprecated the key but still accepted it.
	AppName string

	// AutoPWA is the auto_pwa setting, or nil when unset, which Space treats as true.
	AutoPWA *bool

	// Dir is the project directory as an absolute path when [Load] read the Spacefile, and ""
	// after [Parse].
	Dir string
}

// Micro is one service of the app.
type Micro struct {
	// Name is the Micro's name, unique in the app, matching ^[A-Za-z0-9][A-Za-z0-9_-]*$.
	Name string

	// Src is the Micro's source folder as written, relative to the project root.
	Src string

	// Engine is the runtime, such as "custom", "static" or "python3.9".
	Engine string

	// Primary reports whether the Micro serves "/". A lone Micro is always primary.
	Primary bool

	// Path is the normalised URL prefix: "/" for the primary Micro, otherwise the path key,
	// or the name when the key is missing or empty, with a leading "/" added and one trailing
	// "/" removed, such as "/api" or "/v1/api".
	Path string

	// Serve is the folder under Src that holds the files to serve, set only for the engines
	// static, react, vue and svelte. It is required for static.
	Serve string

	// Commands are the build commands, in order.
	Commands []string

	// Include lists the files and folders under Src that the app package contains.
	Include []string

	// Run is the command that starts the Micro, which must listen on $PORT.
	Run string

	// Dev is the command that starts the Micro for local development.
	Dev string

	// Presets holds the Micro's environment presets and its api_keys setting.
	Presets Presets

	// Public reports whether every route of the Micro skips authentication, which is the same
	// as PublicRoutes ["/*"]. A Spacefile may set public or public_routes, not both.
	Public bool

	// PublicRoutes lists the route patterns, relative to the Micro's root, that skip
	// authentication. "*" matches any run of characters.
	PublicRoutes []string

	// Actions lists the Micro's scheduled actions in file order.
	Actions []Action

	// ProvideActions reports whether the Micro lists app actions at /__space/actions, an
	// experimental Space feature.
	ProvideActions bool

	// Line is the line of the Micro's entry in the Spacefile, counting from 1.
	Line int
}

// Presets holds the settings that the app's user can change for a Micro.
type Presets struct {
	// Env lists the environment variables that the Micro receives.
	Env []EnvPreset

	// APIKeys reports whether the user may create keys for the Micro, which clients send in the
	// X-Space-App-Key header.
	APIKeys bool
}

// EnvPreset is one environment variable of a Micro.
type EnvPreset struct {
	// Name is the variable's name.
	Name string

	// Description is shown to the app's user, or "" when unset.
	Description string

	// Default is the value used when the user sets none, or "" when unset.
	Default string
}

// Action is a scheduled action: Space sends POST /__space/v0/actions to the declaring Micro on
// every run.
type Action struct {
	// ID identifies the action, unique in the app.
	ID string

	// Name is the action's display name, unique in the app.
	Name string

	// Description is at most 142 characters, or "" when unset.
	Description string

	// Trigger is "schedule", the only trigger Space supports.
	Trigger string

	// Interval is the parsed default_interval.
	Interval Interval

	// Path is the action's path key as written, or "" when unset.
	Path string

	// Micro is the name of the Micro that declares the action.
	Micro string

	// Line is the line of the action's entry in the Spacefile, counting from 1.
	Line int
}

// Primary returns the primary Micro, or nil when s has none, which happens only for a
// Spacefile that was not built by [Parse] or [Load].
func (s *Spacefile) Primary() *Micro {
	if s == nil {
		return nil
	}
	for _, m := range s.Micros {
		if m.Primary {
			return m
		}
	}
	return nil
}

// Micro returns the Micro with the given name, or nil when there is none.
func (s *Spacefile) Micro(name string) *Micro {
	if s == nil {
		return nil
	}
	for _, m := range s.Micros {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// Action returns the action with the given ID, or nil when no Micro declares it. The action's
// Micro field names the Micro that receives its runs.
func (s *Spacefile) Action(id string) *Action {
	if s == nil {
		return nil
	}
	for _, m := range s.Micros {
		for i := range m.Actions {
			if m.Actions[i].ID == id {
				return &m.Actions[i]
			}
		}
	}
	return nil
}

// IsStatic reports whether the Micro's engine is static, so that its Serve folder is served
// as files and no command runs.
func (m *Micro) IsStatic() bool {
	return m.Engine == engineStatic
}

// ServeDir returns the folder to serve, Serve under Src, relative to the project root and in
// the operating system's path syntax. It returns "" when Serve is unset.
func (m *Micro) ServeDir() string {
	if m.Serve == "" {
		return ""
	}
	return filepath.Join(filepath.FromSlash(m.Src), filepath.FromSlash(m.Serve))
}

// DevCommand returns the command that starts the Micro locally: Dev, or Run when Dev is unset.
// It returns "" when both are unset.
func (m *Micro) DevCommand() string {
	if m.Dev != "" {
		return m.Dev
	}
	return m.Run
}

// ActionIDs returns the IDs of the Micro's actions in file order, or nil when it has none.
func (m *Micro) ActionIDs() []string {
	if len(m.Actions) == 0 {
		return nil
	}
	ids := make([]string, len(m.Actions))
	for i, a := range m.Actions {
		ids[i] = a.ID
	}
	return ids
}
