package envconfig_test

import (
	"errors"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
)

// lookupMap returns a lookup function over vars, shaped like os.LookupEnv.
func lookupMap(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		value, ok := vars[name]
		return value, ok
	}
}

// baseVars returns a complete, valid environment that a test can change.
func baseVars() map[string]string {
	return map[string]string{
		envconfig.EnvHostname:      "notes-1-a1b2.deta.app",
		envconfig.EnvAPIKey:        "api-key-value",
		envconfig.EnvProjectKey:    "a0b1c2_project-secret",
		envconfig.EnvMicroName:     "api",
		envconfig.EnvMicroType:     "normal",
		envconfig.EnvVersion:       "1.2.0",
		envconfig.EnvPort:          "4201",
		envconfig.EnvOnSpace:       "true",
		envconfig.EnvSessionKey:    "0123456789abcdef0123456789abcdef",
		envconfig.EnvSessionCookie: "notes_session",
		"NOTES_TITLE":              "My notes",
	}
}

func TestLoadFromFullEnvironment(t *testing.T) {
	t.Parallel()
	cfg, err := envconfig.LoadFrom(lookupMap(baseVars()))
	require.NoError(t, err)

	assert.Equal(t, "notes-1-a1b2.deta.app", cfg.Hostname)
	assert.Equal(t, "https://notes-1-a1b2.deta.app", cfg.BaseURL.String())
	assert.Equal(t, "api-key-value", cfg.APIKey.Reveal())
	assert.Equal(t, "a0b1c2_project-secret", cfg.ProjectKey.Reveal())
	assert.Equal(t, "api", cfg.MicroName)
	assert.Equal(t, envconfig.MicroTypeNormal, cfg.MicroType)
	assert.Equal(t, "1.2.0", cfg.Version)
	assert.Equal(t, 4201, cfg.Port)
	assert.True(t, cfg.OnSpace)
	assert.Equal(t, "0123456789abcdef0123456789abcdef", cfg.SessionKey.Reveal())
	assert.Equal(t, "notes_session", cfg.SessionCookie)
	require.NoError(t, cfg.Validate())

	title, ok := cfg.Lookup("NOTES_TITLE")
	assert.True(t, ok)
	assert.Equal(t, "My notes", title)
}

func TestLoadFromDefaults(t *testing.T) {
	t.Parallel()
	cfg, err := envconfig.LoadFrom(lookupMap(map[string]string{
		envconfig.EnvHostname: "localhost:4200",
		envconfig.EnvAPIKey:   "k",
		envconfig.EnvPort:     "  ",
	}))
	require.NoError(t, err)

	assert.Equal(t, "localhost:4200", cfg.Hostname)
	assert.Equal(t, "http://localhost:4200", cfg.BaseURL.String())
	assert.True(t, cfg.ProjectKey.IsZero())
	assert.Empty(t, cfg.MicroName)
	assert.Equal(t, envconfig.MicroTypePrimary, cfg.MicroType)
	assert.Empty(t, cfg.Version)
	assert.Equal(t, envconfig.DefaultPort, cfg.Port)
	assert.False(t, cfg.OnSpace)
	assert.True(t, cfg.SessionKey.IsZero())
	assert.Empty(t, cfg.SessionCookie)

	_, ok := cfg.Lookup("NOTES_TITLE")
	assert.False(t, ok)
}

func TestLoadFromHostnameForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		hostname string
		wantHost string
		wantBase string
	}{
		{"notes-1-a1b2.deta.app", "notes-1-a1b2.deta.app", "https://notes-1-a1b2.deta.app"},
		{"localhost:4200", "localhost:4200", "http://localhost:4200"},
		{"127.0.0.1:8080", "127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"app.localhost", "app.localhost", "http://app.localhost"},
		{"[::1]:4200", "[::1]:4200", "http://[::1]:4200"},
		{"https://x.example/", "x.example", "https://x.example"},
		{"  notes.deta.app\t", "notes.deta.app", "https://notes.deta.app"},
	}
	for _, tt := range tests {
		t.Run(tt.hostname, func(t *testing.T) {
			t.Parallel()
			vars := baseVars()
			vars[envconfig.EnvHostname] = tt.hostname
			cfg, err := envconfig.LoadFrom(lookupMap(vars))
			require.NoError(t, err)
			assert.Equal(t, tt.wantHost, cfg.Hostname)
			assert.Equal(t, tt.wantBase, cfg.BaseURL.String())
		})
	}
}

func TestLoadFromProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		set     map[string]string
		unset   []string
		target  error
		message string
	}{
		{"hostname with path", map[string]string{envconfig.EnvHostname: "http://x.example/path"},
			nil, envconfig.ErrInvalid,
			`DETA_SPACE_APP_HOSTNAME: invalid: hostname "http://x.example/path" contains the path "/path"`},
		{"hostname with userinfo", map[string]string{envconfig.EnvHostname: "user:pw@x.example"},
			nil, envconfig.ErrInvalid, `DETA_SPACE_APP_HOSTNAME: invalid: hostname ` +
				`"//user:xxxxx@x.example" contains user information`},
		{"hostname unset", nil, []string{envconfig.EnvHostname}, envconfig.ErrMissing,
			`DETA_SPACE_APP_HOSTNAME: missing: set it to the app's host`},
		{"hostname blank", map[string]string{envconfig.EnvHostname: " \t "}, nil,
			envconfig.ErrMissing, `DETA_SPACE_APP_HOSTNAME: missing`},
		{"key unset", nil, []string{envconfig.EnvAPIKey}, envconfig.ErrMissing,
			`DETA_API_KEY: missing: set it to the app's API key`},
		{"key empty", map[string]string{envconfig.EnvAPIKey: ""}, nil, envconfig.ErrMissing,
			`DETA_API_KEY: missing`},
		{"key blank", map[string]string{envconfig.EnvAPIKey: "   "}, nil, envconfig.ErrMissing,
			`DETA_API_KEY: missing`},
		{"port 0", map[string]string{envconfig.EnvPort: "0"}, nil, envconfig.ErrInvalid,
			`PORT: invalid: "0": use a whole number from 1 to 65535`},
		{"port 65536", map[string]string{envconfig.EnvPort: "65536"}, nil, envconfig.ErrInvalid,
			`PORT: invalid: "65536": use a whole number from 1 to 65535`},
		{"port abc", map[string]string{envconfig.EnvPort: "abc"}, nil, envconfig.ErrInvalid,
			`PORT: invalid: "abc": use a whole number from 1 to 65535`},
		{"micro type other", map[string]string{envconfig.EnvMicroType: "other"}, nil,
			envconfig.ErrInvalid,
			`DETA_SPACE_APP_MICRO_TYPE: invalid: "other": use "primary" or "normal"`},
		{"on space maybe", map[string]string{envconfig.EnvOnSpace: "maybe"}, nil,
			envconfig.ErrInvalid, `DETA_SPACE_APP: invalid: "maybe": use true or false`},
		{"session key too short", map[string]string{envconfig.EnvSessionKey: "short"}, nil,
			envconfig.ErrInvalid, `SPACEKIT_SESSION_KEY: invalid: the key is 5 bytes long: ` +
				`use at least 32 random bytes`},
		{"base url with path", map[string]string{envconfig.EnvBaseURL: "http://127.0.0.1/x"},
			nil, envconfig.ErrInvalid, `SPACEKIT_BASE_URL: invalid: hostname ` +
				`"http://127.0.0.1/x" contains the path "/x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vars := baseVars()
			for k, v := range tt.set {
				vars[k] = v
			}
			for _, k := range tt.unset {
				delete(vars, k)
			}

			cfg, err := envconfig.LoadFrom(lookupMap(vars))
			require.Error(t, err)
			assert.Equal(t, envconfig.Config{}, cfg)
			assert.ErrorIs(t, err, tt.target)
			assert.Equal(t, "envconfig: "+tt.message, truncateTo(err.Error(), tt.message))

			var loadErr *envconfig.LoadError
			require.ErrorAs(t, err, &loadErr)
			require.Len(t, loadErr.Problems, 1)
		})
	}
}

// truncateTo cuts got to the length of "envconfig: "+prefix, so a test can compare the start
// of a message exactly.
func truncateTo(got, prefix string) string {
	n := len("envconfig: ") + len(prefix)
	if len(got) < n {
		return got
	}
	return got[:n]
}

func TestLoadFromReportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := envconfig.LoadFrom(lookupMap(map[string]string{
		envconfig.EnvPort:      "abc",
		envconfig.EnvMicroType: "other",
	}))
	require.Error(t, err)

	var loadErr *envconfig.LoadError
	require.ErrorAs(t, err, &loadErr)
	var names []string
	for _, p := range loadErr.Problems {
		names = append(names, p.Var)
	}
	assert.Equal(t, []string{envconfig.EnvHostname, envconfig.EnvAPIKey,
		envconfig.EnvMicroType, envconfig.EnvPort}, names)
	assert.ErrorIs(t, err, envconfig.ErrMissing)
	assert.ErrorIs(t, err, envconfig.ErrInvalid)

	var problem envconfig.Problem
	require.ErrorAs(t, err, &problem)
	assert.Equal(t, envconfig.EnvHostname, problem.Var)
}

func TestLoadFromBaseURLOverride(t *testing.T) {
	t.Parallel()
	vars := baseVars()
	vars[envconfig.EnvBaseURL] = "127.0.0.1:4200"
	cfg, err := envconfig.LoadFrom(lookupMap(vars))
	require.NoError(t, err)
	assert.Equal(t, "notes-1-a1b2.deta.app", cfg.Hostname)
	assert.Equal(t, "http://127.0.0.1:4200", cfg.BaseURL.String())
}

func TestLoadFromNilLookup(t *testing.T) {
	t.Parallel()
	_, err := envconfig.LoadFrom(nil)
	require.EqualError(t, err, "envconfig: LoadFrom(nil): pass a lookup function such as "+
		"os.LookupEnv")
}

func TestLoadReadsProcessEnvironment(t *testing.T) {
	t.Setenv(envconfig.EnvHostname, "localhost:4200")
	t.Setenv(envconfig.EnvAPIKey, "from-process")
	t.Setenv(envconfig.EnvBaseURL, "")
	t.Setenv("NOTES_TITLE", "process title")
	cfg, err := envconfig.Load()
	require.NoError(t, err)
	assert.Equal(t, "from-process", cfg.APIKey.Reveal())
	assert.Equal(t, "http://localhost:4200", cfg.BaseURL.String())

	title, ok := cfg.Lookup("NOTES_TITLE")
	assert.True(t, ok)
	assert.Equal(t, "process title", title)
}

func TestValidate(t *testing.T) {
	t.Parallel()
	base, err := url.Parse("https://x.example")
	require.NoError(t, err)

	valid := envconfig.Config{BaseURL: base, APIKey: "k"}
	require.NoError(t, valid.Validate())

	tests := []struct {
		name    string
		change  func(*envconfig.Config)
		target  error
		message string
	}{
		{"zero", func(c *envconfig.Config) { *c = envconfig.Config{} }, envconfig.ErrMissing,
			"envconfig: BaseURL: missing: set it, for example with ParseHostname; APIKey: " +
				"missing: set it to the app's API key"},
		{"ftp", func(c *envconfig.Config) { c.BaseURL = &url.URL{Scheme: "ftp", Host: "x"} },
			envconfig.ErrInvalid,
			`envconfig: BaseURL: invalid: "ftp://x" has scheme "ftp": use http or https`},
		{"path", func(c *envconfig.Config) { c.BaseURL = base.JoinPath("a") },
			envconfig.ErrInvalid, `envconfig: BaseURL: invalid: "https://x.example/a" has ` +
				`a path, query or fragment: keep the origin alone`},
		{"type", func(c *envconfig.Config) { c.MicroType = "other" }, envconfig.ErrInvalid,
			`envconfig: MicroType: invalid: "other": use "primary" or "normal"`},
		{"port", func(c *envconfig.Config) { c.Port = 70000 }, envconfig.ErrInvalid,
			`envconfig: Port: invalid: 70000: use a port from 1 to 65535, or 0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := valid
			tt.change(&cfg)
			err := cfg.Validate()
			require.Error(t, err)
			assert.True(t, errors.Is(err, tt.target))
			assert.EqualError(t, err, tt.message)
		})
	}
}
