package envconfig

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
)

// Names of the variables that Space set in every Micro's environment, and of the kit's own
// override.
const (
	EnvHostname   = "DETA_SPACE_APP_HOSTNAME"
	EnvAPIKey     = "DETA_API_KEY"
	EnvProjectKey = "DETA_PROJECT_KEY"
	EnvMicroName  = "DETA_SPACE_APP_MICRO_NAME"
	EnvMicroType  = "DETA_SPACE_APP_MICRO_TYPE"
	EnvVersion    = "DETA_SPACE_APP_VERSION"
	EnvPort       = "PORT"
	EnvOnSpace    = "DETA_SPACE_APP"

	// EnvBaseURL overrides the base URL that calls to sibling Micros use, such as
	// "http://127.0.0.1:4200" for a local router. It takes the same forms as the hostname.
	EnvBaseURL = "SPACEKIT_BASE_URL"

	// EnvSessionKey is the key that signs the app's session cookies. A router that logs
	// browsers in (spacedev, spacetest) sets it, so that a Micro can verify the session cookie
	// it forwards. Space itself set no such variable.
	EnvSessionKey = "SPACEKIT_SESSION_KEY"

	// EnvSessionCookie is the name of the app's session cookie, set beside [EnvSessionKey].
	EnvSessionCookie = "SPACEKIT_SESSION_COOKIE"
)

// MinSessionKeyLength is the shortest session key, in bytes, that [LoadFrom] accepts.
const MinSessionKeyLength = 32

// Values of DETA_SPACE_APP_MICRO_TYPE.
const (
	MicroTypePrimary = "primary"
	MicroTypeNormal  = "normal"
)

// DefaultPort is the port a Micro listens on when PORT is unset.
const DefaultPort = 8080

// Config is a Micro's environment, read by [Load] or [LoadFrom]. Printing a Config in any
// format never shows its keys. A Config is a value: copies are independent, and it is safe for
// concurrent reads.
type Config struct {
	// Hostname is the app's host from DETA_SPACE_APP_HOSTNAME, without a scheme, such as
	// "notes-1-a1b2.deta.app" or "localhost:4200". Required.
	Hostname string

	// BaseURL is the origin that calls to sibling Micros use: the scheme and host from
	// Hostname, or SPACEKIT_BASE_URL when that is set. It has no path.
	BaseURL *url.URL

	// APIKey is DETA_API_KEY, the app-internal key sent as X-API-Key. Required.
	APIKey Secret

	// ProjectKey is DETA_PROJECT_KEY, the data key. Empty when unset.
	ProjectKey Secret

	// MicroName is DETA_SPACE_APP_MICRO_NAME. Empty when unset.
	MicroName string

	// MicroType is DETA_SPACE_APP_MICRO_TYPE: [MicroTypePrimary] (the default) or
	// [MicroTypeNormal].
	MicroType string

	// Version is DETA_SPACE_APP_VERSION. Empty when unset.
	Version string

	// Port is PORT, from 1 to 65535, or [DefaultPort] when unset.
	Port int

	// OnSpace is DETA_SPACE_APP, parsed with [strconv.ParseBool]; false when unset.
	OnSpace bool

	// SessionKey is SPACEKIT_SESSION_KEY, the key that signs session cookies, at least
	// [MinSessionKeyLength] bytes long. Empty when unset.
	SessionKey Secret

	// SessionCookie is SPACEKIT_SESSION_COOKIE, the session cookie's name. Empty when unset.
	SessionCookie string

	lookup func(string) (string, bool)
}

// Load reads the process environment. See [LoadFrom].
func Load() (Config, error) {
	return LoadFrom(os.LookupEnv)
}

// LoadFrom reads the variables through lookup, which has the shape of [os.LookupEnv]. An empty
// or blank variable counts as unset. DETA_SPACE_APP_HOSTNAME and DETA_API_KEY are required;
// every other variable has the default its field documents. The error, a *[LoadError], names
// every missing and invalid variable at once. A nil lookup is an error.
func LoadFrom(lookup func(string) (string, bool)) (Config, error) {
	if lookup == nil {
		return Config{}, errors.New("envconfig: LoadFrom(nil): pass a lookup function " +
			"such as os.LookupEnv")
	}

	r := reader{lookup: lookup}
	cfg := Config{lookup: lookup}
	cfg.Hostname, cfg.BaseURL = r.hostname()
	cfg.APIKey = Secret(r.required(EnvAPIKey, "set it to the app's API key"))
	cfg.ProjectKey = Secret(r.get(EnvProjectKey))
	cfg.MicroName = r.get(EnvMicroName)
	cfg.MicroType = r.microType()
	cfg.Version = r.get(EnvVersion)
	cfg.Port = r.port()
	cfg.OnSpace = r.onSpace()
	cfg.SessionKey = r.sessionKey()
	cfg.SessionCookie = r.get(EnvSessionCookie)

	if len(r.problems) > 0 {
		return Config{}, &LoadError{Problems: r.problems}
	}
	return cfg, nil
}

// Lookup returns the value of any variable from the source the Config was read from, such as
// a presets.env entry of the Spacefile. Like [LoadFrom], it treats an empty or blank value as
// unset. A Config not made by [Load] or [LoadFrom] has no source, and Lookup reports false.
func (c Config) Lookup(name string) (string, bool) {
	if c.lookup == nil {
		return "", false
	}
	value, ok := c.lookup(name)
	if !ok || strings.TrimSpace(value) == "" {
		return "", false
	}
	return value, true
}

// Validate checks a Config that was built by hand. BaseURL must be an absolute http or https
// URL without a path, and APIKey must be set. MicroType must be empty or a known type, and Port
// must be from 0 to 65535. The error is a *[LoadError] that names each field.
func (c Config) Validate() error {
	var problems []Problem
	add := func(name string, err error) { problems = append(problems, Problem{name, err}) }

	if err := validateBaseURL(c.BaseURL); err != nil {
		add("BaseURL", err)
	}
	if c.APIKey.IsZero() {
		add("APIKey", fmt.Errorf("%w: set it to the app's API key", ErrMissing))
	}
	if c.MicroType != "" && c.MicroType != MicroTypePrimary && c.MicroType != MicroTypeNormal {
		add("MicroType", fmt.Errorf("%w: %q: use %q or %q",
			ErrInvalid, c.MicroType, MicroTypePrimary, MicroTypeNormal))
	}
	if c.Port < 0 || c.Port > 65535 {
		add("Port", fmt.Errorf("%w: %d: use a port from 1 to 65535, or 0", ErrInvalid, c.Port))
	}

	if len(problems) > 0 {
		return &LoadError{Problems: problems}
	}
	return nil
}

func validateBaseURL(u *url.URL) error {
	switch {
	case u == nil:
		return fmt.Errorf("%w: set it, for example with ParseHostname", ErrMissing)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%w: %q has scheme %q: use http or https", ErrInvalid, u.Redacted(),
			u.Scheme)
	case u.Host == "":
		return fmt.Errorf("%w: %q has no host", ErrInvalid, u.Redacted())
	case u.User != nil:
		return fmt.Errorf("%w: %q contains user information: remove it", ErrInvalid,
			u.Redacted())
	case u.Path != "" || u.RawQuery != "" || u.Fragment != "":
		return fmt.Errorf("%w: %q has a path, query or fragment: keep the origin alone",
			ErrInvalid, u.Redacted())
	}
	return nil
}

// LogValue implements [slog.LogValuer]: a Config logs its public fields and hides its keys.
func (c Config) LogValue() slog.Value {
	base := ""
	if c.BaseURL != nil {
		base = c.BaseURL.String()
	}
	return slog.GroupValue(
		slog.String("hostname", c.Hostname),
		slog.String("base_url", base),
		slog.Any("api_key", c.APIKey),
		slog.Any("project_key", c.ProjectKey),
		slog.String("micro_name", c.MicroName),
		slog.String("micro_type", c.MicroType),
		slog.String("version", c.Version),
		slog.Int("port", c.Port),
		slog.Bool("on_space", c.OnSpace),
		slog.Any("session_key", c.SessionKey),
		slog.String("session_cookie", c.SessionCookie),
	)
}
