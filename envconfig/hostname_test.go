package envconfig_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
)

func TestParseHostname(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string
	}{
		{"notes-1-a1b2.deta.app", "https://notes-1-a1b2.deta.app"},
		{"localhost:4200", "http://localhost:4200"},
		{"localhost", "http://localhost"},
		{"127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"127.8.9.10", "http://127.8.9.10"},
		{"app.localhost", "http://app.localhost"},
		{"App.LocalHost:99", "http://App.LocalHost:99"},
		{"[::1]:4200", "http://[::1]:4200"},
		{"https://x.example/", "https://x.example"},
		{"http://x.example", "http://x.example"},
		{"https://localhost:4200", "https://localhost:4200"},
		{"  notes.deta.app  ", "https://notes.deta.app"},
		{"notes.deta.app/", "https://notes.deta.app"},
		{"128.0.0.1", "https://128.0.0.1"},
		{"localhost.example", "https://localhost.example"},
		{"[fe80::1%25eth0]:80", "https://[fe80::1%25eth0]:80"},
		{"[::ffff:127.0.0.1]", "http://[::ffff:127.0.0.1]"},
		{"_acme.deta.app", "https://_acme.deta.app"},
		{label63 + ".deta.app", "https://" + label63 + ".deta.app"},
		{name253, "https://" + name253},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			u, err := envconfig.ParseHostname(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, u.String())
			assert.Empty(t, u.Path)
		})
	}
}

func TestParseHostnameErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		message string
	}{
		{"", `hostname is empty`},
		{"   ", `hostname is empty`},
		{"http://x.example/path", `hostname "http://x.example/path" contains the path "/path"`},
		{"x.example/a/", `contains the path "/a/"`},
		{"user:pw@x.example", `hostname "//user:xxxxx@x.example" contains user information`},
		{"https://user:pw@x.example", `contains user information`},
		{"x.example?a=1", `contains a query`},
		{"x.example?", `contains a query`},
		{"x.example#top", `contains a fragment`},
		{"ftp://x.example", `has scheme "ftp": use http, https or no scheme`},
		{"x.example:0", `has port "0": use a port from 1 to 65535`},
		{"x.example:65536", `has port "65536"`},
		{"x.example:abc", `is not a valid host`},
		{"x.example:", `ends with ':' but has no port`},
		{"https://", `has no host`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			u, err := envconfig.ParseHostname(tt.in)
			require.Error(t, err)
			assert.Nil(t, u)
			assert.ErrorIs(t, err, envconfig.ErrInvalid)
			assert.Contains(t, err.Error(), tt.message)
			assert.NotContains(t, err.Error(), "pw@")
		})
	}
}

// label63 is a DNS label of the maximum length, and name253 a DNS name of the maximum length.
var (
	label63 = strings.Repeat("a", 63)
	name253 = strings.Join([]string{label63, label63, label63, strings.Repeat("b", 61)}, ".")
)

func TestParseHostnameHostErrors(t *testing.T) {
	t.Parallel()
	long300 := strings.Repeat("a", 291) + ".deta.app"
	tests := []struct {
		in      string
		message string
	}{
		{"::1", `invalid: hostname "::1" is an IPv6 address without brackets: ` +
			`bracket IPv6 addresses: [::1] or, with a port, [::1]:4200`},
		{"http://::1:4200/", `invalid: hostname "http://::1:4200/" is an IPv6 address ` +
			`without brackets: bracket IPv6 addresses: [::1:4200] or, with a port, ` +
			`[::1:4200]:4200`},
		{"user:pw@fe80::1", `invalid: hostname "xxxxx@fe80::1" is an IPv6 address without ` +
			`brackets: bracket IPv6 addresses: [fe80::1] or, with a port, [fe80::1]:4200`},
		{"a:b:c", `invalid: hostname "a:b:c" contains more than one ':' outside brackets: ` +
			`bracket IPv6 addresses: [::1]:4200, and give at most one port`},
		{".", `invalid: hostname "." contains an empty label: remove the extra '.', ` +
			`as in notes-1-a1b2.deta.app`},
		{"notes..deta.app", `invalid: hostname "notes..deta.app" contains an empty label: ` +
			`remove the extra '.', as in notes-1-a1b2.deta.app`},
		{".deta.app:80", `invalid: hostname ".deta.app:80" contains an empty label: ` +
			`remove the extra '.', as in notes-1-a1b2.deta.app`},
		{"notes.deta.app.", `invalid: hostname "notes.deta.app." ends with '.': ` +
			`remove the trailing '.'`},
		{"localhost.:4200", `invalid: hostname "localhost.:4200" ends with '.': ` +
			`remove the trailing '.'`},
		{long300, `invalid: hostname "` + strings.Repeat("a", 64) + `…" has a host of ` +
			`300 bytes: a DNS name has at most 253 bytes`},
		{name253 + "b", `invalid: hostname "` + label63 + `.…" has a host of 254 bytes: ` +
			`a DNS name has at most 253 bytes`},
		{label63 + "a.deta.app", `invalid: hostname "` + label63 + `a…" has the label ` +
			`"aaaaaaaaaaaaaaaa…" of 64 bytes: a DNS label has at most 63 bytes`},
		{"bücher.example", `invalid: hostname "bücher.example" contains 'ü': a host name ` +
			`has only ASCII letters, digits, '-' and '_' (write an internationalized name in ` +
			`its xn-- form)`},
		{"a*b.example", `invalid: hostname "a*b.example" contains '*': a host name has ` +
			`only ASCII letters, digits, '-' and '_' (write an internationalized name in its ` +
			`xn-- form)`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			u, err := envconfig.ParseHostname(tt.in)
			require.Error(t, err)
			assert.Nil(t, u)
			assert.ErrorIs(t, err, envconfig.ErrInvalid)
			assert.Equal(t, tt.message, err.Error())
		})
	}
}

func TestParseHostnameHidesPasswordWhenUnparsable(t *testing.T) {
	t.Parallel()
	_, err := envconfig.ParseHostname("user:s3cr3t@x.example:abc")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3cr3t")
	assert.True(t, errors.Is(err, envconfig.ErrInvalid))
}

func TestIsLocalHost(t *testing.T) {
	t.Parallel()
	local := []string{"localhost", "LOCALHOST", "a.localhost", "localhost.", "127.0.0.1",
		"127.255.255.254", "::1", "[::1]"}
	for _, host := range local {
		assert.True(t, envconfig.IsLocalHost(host), host)
	}

	remote := []string{"", "example.com", "localhost.example", "notlocalhost", "10.0.0.1",
		"128.0.0.1", "::2", "0.0.0.0"}
	for _, host := range remote {
		assert.False(t, envconfig.IsLocalHost(host), host)
	}
}

func FuzzParseHostname(f *testing.F) {
	for _, seed := range []string{"notes-1-a1b2.deta.app", "localhost:4200", "[::1]:4200",
		"https://x.example/", "user:pw@x", "x.example:65536", "http://x/%zz", "\t a \n"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, hostname string) {
		u, err := envconfig.ParseHostname(hostname)
		if err != nil {
			require.ErrorIs(t, err, envconfig.ErrInvalid)
			require.Nil(t, u)
			return
		}
		require.Contains(t, []string{"http", "https"}, u.Scheme)
		require.NotEmpty(t, u.Hostname())
		require.Empty(t, u.Path)
		require.Empty(t, u.RawQuery)
		require.Empty(t, u.Fragment)
		require.Nil(t, u.User)
		checkHostRules(t, u.Hostname(), strings.HasPrefix(u.Host, "["))

		// The result must parse back to itself, and joining a path must not produce "//".
		again, err := envconfig.ParseHostname(u.String())
		require.NoError(t, err)
		require.Equal(t, u.String(), again.String())
		require.NotContains(t, u.JoinPath("/api").String()[len(u.Scheme)+3:], "//")
	})
}

// checkHostRules requires that a host that ParseHostname accepted is an IPv6 address, when it
// was in brackets, or a DNS name of at most 253 bytes with labels of 1 to 63 bytes.
func checkHostRules(t *testing.T, host string, bracketed bool) {
	t.Helper()
	if bracketed {
		addr, err := netip.ParseAddr(host)
		require.NoError(t, err)
		require.True(t, addr.Is6(), "%q in brackets is not IPv6", host)
		return
	}
	require.NotContains(t, host, ":", "an unbracketed host has no ':'")
	require.LessOrEqual(t, len(host), 253)
	for _, label := range strings.Split(host, ".") {
		require.NotEmpty(t, label, "host %q has an empty label", host)
		require.LessOrEqual(t, len(label), 63, "host %q", host)
	}
}
