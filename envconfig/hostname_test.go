package envconfig_test

import (
	"errors"
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

		// The result must parse back to itself, and joining a path must not produce "//".
		again, err := envconfig.ParseHostname(u.String())
		require.NoError(t, err)
		require.Equal(t, u.String(), again.String())
		require.NotContains(t, u.JoinPath("/api").String()[len(u.Scheme)+3:], "//")
	})
}
