package reliability

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/spacefile"
)

// badInputKey is the API key of the malformed environments. No error may show it.
const badInputKey = "sk-badinput-5e6f7a8b"

// unset marks a variable that a case removes from the environment.
const unset = "\x00unset"

func TestBadInputEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		vars     map[string]string // changes to a valid environment; unset removes one
		wantIs   error
		wantVars []string // the variables the error names, in order
		wantText string
		hidden   string // a part of the input that the error must not show
	}{
		{"hostname unset", map[string]string{envconfig.EnvHostname: unset}, envconfig.ErrMissing,
			[]string{envconfig.EnvHostname}, "set it to the app's host", ""},
		{"hostname blank", map[string]string{envconfig.EnvHostname: " \t\n"},
			envconfig.ErrMissing, []string{envconfig.EnvHostname}, "set it to the app's host", ""},
		{"hostname with path", map[string]string{envconfig.EnvHostname: "notes.deta.app/api"},
			envconfig.ErrInvalid, []string{envconfig.EnvHostname}, `contains the path "/api"`, ""},
		{"hostname with query", map[string]string{envconfig.EnvHostname: "notes.deta.app?x=1"},
			envconfig.ErrInvalid, []string{envconfig.EnvHostname}, "contains a query", ""},
		{"hostname with fragment", map[string]string{envconfig.EnvHostname: "notes.deta.app#a"},
			envconfig.ErrInvalid, []string{envconfig.EnvHostname}, "contains a fragment", ""},
		{"hostname with ftp scheme", map[string]string{envconfig.EnvHostname: "ftp://x.deta.app"},
			envconfig.ErrInvalid, []string{envconfig.EnvHostname}, `has scheme "ftp"`, ""},
		{"hostname with password", map[string]string{
			envconfig.EnvHostname: "owner:hunter2@notes.deta.app"}, envconfig.ErrInvalid,
			[]string{envconfig.EnvHostname}, "contains user information", "hunter2"},
		{"hostname with password and bad port", map[string]string{
			envconfig.EnvHostname: "https://owner:hunter2@notes.deta.app:x"}, envconfig.ErrInvalid,
			[]string{envconfig.EnvHostname}, "is not a valid host", "hunter2"},
		{"hostname port 0", map[string]string{envconfig.EnvHostname: "notes.deta.app:0"},
			envconfig.ErrInvalid, []string{envconfig.EnvHostname}, `has port "0"`, ""},
		{"hostname port 70000", map[string]string{envconfig.EnvHostname: "notes.deta.app:70000"},
			envconfig.ErrInvalid, []string{envconfig.EnvHostname}, `has port "70000"`, ""},
		{"hostname empty port", map[string]string{envconfig.EnvHostname: "notes.deta.app:"},
			envconfig.ErrInvalid, []string{envconfig.EnvHostname}, "has no port", ""},
		{"hostname NUL byte", map[string]string{envconfig.EnvHostname: "notes\x00.deta.app"},
			envconfig.ErrInvalid, []string{envconfig.EnvHostname}, "invalid control character", ""},
		{"hostname unclosed IPv6", map[string]string{envconfig.EnvHostname: "[::1"},
			envconfig.ErrInvalid, []string{envconfig.EnvHostname}, "missing ']'", ""},
		{"hostname unbracketed IPv6", map[string]string{envconfig.EnvHostname: "::1"},
			envconfig.ErrInvalid, []string{envconfig.EnvHostname}, "", ""},
		{"hostname with space", map[string]string{envconfig.EnvHostname: "notes deta.app"},
			envconfig.ErrInvalid, []string{envconfig.EnvHostname}, "is not a valid host", ""},
		// The three hosts below are no DNS names: ".", an empty label, and a name longer than
		// DNS's 253 bytes.
		{"hostname dot", map[string]string{envconfig.EnvHostname: "."},
			envconfig.ErrInvalid, []string{envconfig.EnvHostname}, "", ""},
		{"hostname empty label", map[string]string{envconfig.EnvHostname: "notes..deta.app"},
			envconfig.ErrInvalid, []string{envconfig.EnvHostname}, "", ""},
		{"hostname of 300 bytes", map[string]string{
			envconfig.EnvHostname: strings.Repeat("a", 291) + ".deta.app"},
			envconfig.ErrInvalid, []string{envconfig.EnvHostname}, "", ""},
		{"API key unset", map[string]string{envconfig.EnvAPIKey: unset}, envconfig.ErrMissing,
			[]string{envconfig.EnvAPIKey}, "set it to the app's API key", ""},
		{"API key blank", map[string]string{envconfig.EnvAPIKey: "  "}, envconfig.ErrMissing,
			[]string{envconfig.EnvAPIKey}, "set it to the app's API key", ""},
		{"port not a number", map[string]string{envconfig.EnvPort: "http"},
			envconfig.ErrInvalid, []string{envconfig.EnvPort}, "use a whole number", ""},
		{"port 0", map[string]string{envconfig.EnvPort: "0"}, envconfig.ErrInvalid,
			[]string{envconfig.EnvPort}, "from 1 to 65535", ""},
		{"port 65536", map[string]string{envconfig.EnvPort: "65536"}, envconfig.ErrInvalid,
			[]string{envconfig.EnvPort}, "from 1 to 65535", ""},
		{"port negative", map[string]string{envconfig.EnvPort: "-1"}, envconfig.ErrInvalid,
			[]string{envconfig.EnvPort}, "from 1 to 65535", ""},
		{"micro type in capitals", map[string]string{envconfig.EnvMicroType: "Primary"},
			envconfig.ErrInvalid, []string{envconfig.EnvMicroType}, `use "primary" or "normal"`,
			""},
		{"on-space flag yes", map[string]string{envconfig.EnvOnSpace: "yes"},
			envconfig.ErrInvalid, []string{envconfig.EnvOnSpace}, "use true or false", ""},
		{"base URL with path", map[string]string{envconfig.EnvBaseURL: "http://127.0.0.1:1/x"},
			envconfig.ErrInvalid, []string{envconfig.EnvBaseURL}, `contains the path "/x"`, ""},
		{"everything wrong", map[string]string{envconfig.EnvHostname: "x:0",
			envconfig.EnvAPIKey: unset, envconfig.EnvPort: "http", envconfig.EnvOnSpace: "yes"},
			envconfig.ErrInvalid, []string{envconfig.EnvHostname, envconfig.EnvAPIKey,
				envconfig.EnvPort, envconfig.EnvOnSpace}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := envconfig.LoadFrom(mapLookup(badEnv(tt.vars)))
			require.Error(t, err)
			assert.Equal(t, envconfig.Config{}, cfg, "a failed load returns the zero Config")
			assert.ErrorIs(t, err, tt.wantIs)
			var loadErr *envconfig.LoadError
			require.ErrorAs(t, err, &loadErr)
			names := make([]string, len(loadErr.Problems))
			for i, p := range loadErr.Problems {
				names[i] = p.Var
			}
			assert.Equal(t, tt.wantVars, names)
			assert.Contains(t, err.Error(), tt.wantText)
			assert.NotContains(t, err.Error(), badInputKey)
			if tt.hidden != "" {
				assert.NotContains(t, err.Error(), tt.hidden)
			}
		})
	}
}

// badEnv returns a valid environment with changes applied.
func badEnv(changes map[string]string) map[string]string {
	vars := map[string]string{
		envconfig.EnvHostname: "notes-1-a1b2.deta.app",
		envconfig.EnvAPIKey:   badInputKey,
	}
	for name, value := range changes {
		if value == unset {
			delete(vars, name)
			continue
		}
		vars[name] = value
	}
	return vars
}

func TestBadInputClientConfig(t *testing.T) {
	t.Parallel()
	base := &url.URL{Scheme: "https", Host: "notes-1-a1b2.deta.app"}
	valid := envconfig.Config{Hostname: base.Host, BaseURL: base, APIKey: badInputKey}
	tests := []struct {
		name     string
		cfg      envconfig.Config
		opts     []client.Option
		wantText []string
	}{
		{"no base URL", envconfig.Config{APIKey: badInputKey}, nil,
			[]string{"client: New: envconfig: BaseURL"}},
		{"no key", envconfig.Config{Hostname: base.Host, BaseURL: base}, nil,
			[]string{"APIKey: missing"}},
		{"key with line break", envconfig.Config{Hostname: base.Host, BaseURL: base,
			APIKey: "abc\r\nX-Injected: 1"}, nil,
			[]string{"APIKey contains a control character"}},
		{"every option invalid", valid, []client.Option{client.WithRetryMax(-1),
			client.WithRetryWait(0, 0), client.WithAttemptTimeout(0), client.WithRateLimit(0, 0),
			client.WithHTTPClient(nil), nil},
			[]string{"WithRetryMax(-1)", "WithRetryWait(0s, 0s)", "WithAttemptTimeout(0s)",
				"WithRateLimit(0, 0)", "WithHTTPClient(nil)", "option 5 is nil"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := client.New(tt.cfg, tt.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			for _, text := range tt.wantText {
				assert.Contains(t, err.Error(), text)
			}
			assert.NotContains(t, err.Error(), badInputKey)
			assert.NotContains(t, err.Error(), "X-Injected")
		})
	}
}

// maxProblemBytes bounds the text of one Spacefile problem. A problem may quote the value at
// fault, but a value of megabytes must not make an error of megabytes.
const maxProblemBytes = 1024

func TestBadInputSpacefile(t *testing.T) {
	t.Parallel()
	const valid = "v: 0\nmicros:\n  - name: api\n    src: .\n    engine: custom\n"
	tests := []struct {
		name     string
		data     string
		wantLine int
		wantText string
	}{
		{"empty file", "", 1, "the Spacefile is empty"},
		{"no micros", "v: 0\n", 1, "micros: missing"},
		{"version 1", strings.Replace(valid, "v: 0", "v: 1", 1), 1, "version 1 is not supported"},
		{"tab indentation", "v: 0\nmicros:\n\t- name: api\n", 3, "indented with a tab"},
		{"primary yes", valid + "    primary: yes\n", 6, `not the string "yes"`},
		{"unknown key", "v: 0\nfoo: 1\n" + valid[5:], 2, "foo: unknown key"},
		{"six micros", sixMicros(), 2, "lists 6 micros"},
		{"duplicate name", valid + "  - name: api\n    src: .\n    engine: custom\n", 2,
			`"api" is also the name of the micro on line 3`},
		{"binary garbage", "\x00\xff\xfe", 1, "control characters are not allowed"},
		{"invalid UTF-8 value", "v: 0\napp_name: \"\xff\xfe\"\n" + valid[5:], 1,
			"invalid leading UTF-8 octet"},
		{"second document", valid + "---\nv: 0\n", 6, "a second YAML document starts here"},
		{"nesting 100000 deep", strings.Repeat("[", 100_000), 1, "exceeded max depth"},
		{"alias expansion", aliasBomb(), 2, "unknown key"},
		{"merge key cycle", "v: 0\nmicros:\n  - &m\n    <<: *m\n    name: api\n", 3,
			"src: missing"},
		{"app_name of 64 KiB", "v: 0\napp_name: " + strings.Repeat("x", 64<<10) + "\n" +
			valid[5:], 2, "app_name"},
		{"micro name of 64 KiB", strings.Replace(valid, "name: api",
			"name: "+strings.Repeat("é", 32<<10), 1), 3, "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sf, err := spacefile.Parse([]byte(tt.data))
			require.Error(t, err)
			assert.Nil(t, sf, "a failed parse returns no Spacefile")
			var verr *spacefile.ValidationError
			require.ErrorAs(t, err, &verr)
			require.NotEmpty(t, verr.Problems)
			assert.Equal(t, tt.wantLine, verr.Problems[0].Line)
			assert.Contains(t, err.Error(), tt.wantText)
			lines := strings.Count(tt.data, "\n") + 1
			for _, p := range verr.Problems {
				assert.True(t, p.Line >= 1 && p.Line <= lines, "line %d of %d", p.Line, lines)
				assert.NotEmpty(t, p.Message)
				assert.LessOrEqual(t, len(p.String()), maxProblemBytes,
					"problem on line %d quotes too much: %.120s...", p.Line, p.String())
			}
		})
	}
}

func sixMicros() string {
	var b strings.Builder
	b.WriteString("v: 0\nmicros:\n")
	for _, name := range []string{"a", "b", "c", "d", "e", "f"} {
		fmt.Fprintf(&b, "  - name: %s\n    src: %s\n    engine: custom\n", name, name)
	}
	return b.String()
}

// aliasBomb returns a Spacefile whose aliases name 10^9 nodes in nine lines ("billion
// laughs"), all under keys that the top level does not allow.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("v: 0\nx0: &a0 [y, y, y, y, y, y, y, y, y, y]\n")
	for i := 1; i <= 8; i++ {
		ref := fmt.Sprintf("*a%d", i-1)
		fmt.Fprintf(&b, "x%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(ref+", ", 10),
			", "))
	}
	b.WriteString("micros:\n  - name: api\n    src: .\n    engine: custom\n    commands: *a8\n")
	return b.String()
}
