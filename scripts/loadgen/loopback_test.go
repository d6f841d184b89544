package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckLoopbackURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url     string
		wantErr string // empty when the URL is accepted
	}{
		{"http://127.0.0.1:8080/items/42", ""},
		{"http://127.255.0.9/", ""},
		{"http://localhost:4200/", ""},
		{"http://LocalHost/", ""},
		{"http://[::1]:8080/", ""},
		{"", "-url is missing"},
		{"https://127.0.0.1/", `scheme "https" is not supported`},
		{"http://user:pw@127.0.0.1/", "remove the user information"},
		{"http://10.0.0.1/", `host "10.0.0.1" is not a loopback address`},
		{"http://128.0.0.1/", `host "128.0.0.1" is not a loopback address`},
		{"http://169.254.169.254/", `host "169.254.169.254" is not a loopback address`},
		{"http://example.com/", `host "example.com" is not a loopback address`},
		{"http://localhost.example.com/", `host "localhost.example.com" is not a loopback`},
		{"http://app.localhost/", `host "app.localhost" is not a loopback address`},
		{"http://[::ffff:127.0.0.1]/", `host "::ffff:127.0.0.1" is not a loopback address`},
		{"http://[::1%25lo]/", `host "::1%lo" is not a loopback address`},
		{"http://[::2]/", `host "::2" is not a loopback address`},
		{"http://0.0.0.0/", `host "0.0.0.0" is not a loopback address`},
		{"http://127.0.0.1:port/", "is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			t.Parallel()
			u, err := checkLoopbackURL(tt.url)
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.url, u.String())
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestRequireLoopback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		address string
		wantOK  bool
	}{
		{"127.0.0.1:80", true},
		{"127.1.2.3:80", true},
		{"[::1]:80", true},
		{"[::ffff:127.0.0.1]:80", true},
		{"10.0.0.1:80", false},
		{"[2001:db8::1]:80", false},
		{"[::ffff:10.0.0.1]:80", false},
		{"localhost:80", false}, // the dialer passes resolved addresses, never names
		{"127.0.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.address, func(t *testing.T) {
			t.Parallel()
			err := requireLoopback("tcp", tt.address, nil)
			if tt.wantOK {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}
