package middleware

import (
	"crypto/sha256"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/envconfig"
)

func TestKeySetMatch(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("k", stackKeyBytes+10)
	set, err := newKeySet("Auth", "APIKeys",
		[]envconfig.Secret{"key-one", "key-two", envconfig.Secret(long)})
	require.NoError(t, err)

	tests := []struct {
		name string
		key  string
		want bool
	}{
		{"first key", "key-one", true},
		{"second key", "key-two", true},
		{"key longer than the stack buffer", long, true},
		{"empty", "", false},
		{"prefix of a key", "key-on", false},
		{"key with a suffix", "key-one ", false},
		{"other case", "KEY-ONE", false},
		{"oversized", strings.Repeat("k", MaxKeyBytes+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, set.match(tt.key))
		})
	}
}

func TestKeySetMatchHeader(t *testing.T) {
	t.Parallel()
	set, err := newKeySet("Auth", "APIKeys", []envconfig.Secret{"key-one"})
	require.NoError(t, err)

	tests := []struct {
		name   string
		values []string
		want   bool
	}{
		{"one valid value", []string{"key-one"}, true},
		{"missing", nil, false},
		{"repeated valid value", []string{"key-one", "key-one"}, false},
		{"valid then invalid", []string{"key-one", "other"}, false},
		{"comma-joined values", []string{"key-one, key-one"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			if tt.values != nil {
				h[headerAPIKey] = tt.values
			}
			assert.Equal(t, tt.want, set.matchHeader(h, headerAPIKey))
		})
	}
}

func TestKeySetEmptyMatchesNothing(t *testing.T) {
	t.Parallel()
	var set keySet
	assert.False(t, set.match("anything"))
	assert.False(t, set.matchHeader(http.Header{headerAPIKey: {"anything"}}, headerAPIKey))
}

func TestNewKeySetRejectsBadKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		keys []envconfig.Secret
		want string
	}{
		{"empty key", []envconfig.Secret{"ok", ""},
			`middleware: Auth: APIKeys[1] is empty: remove it or set the key`},
		{"oversized key", []envconfig.Secret{envconfig.Secret(strings.Repeat("s", MaxKeyBytes+1))},
			`middleware: Auth: APIKeys[0] is longer than 4096 bytes: use a shorter key`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := newKeySet("Auth", "APIKeys", tt.keys)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			assert.True(t, errors.Is(err, ErrInvalidOption))
		})
	}
}

func TestKeySetMatchAllocatesNothing(t *testing.T) {
	set, err := newKeySet("Auth", "APIKeys", []envconfig.Secret{
		"3c5e2b0a-6f1d-4a8e-9b7c-0d2e4f6a8b1c-key-one",
		"3c5e2b0a-6f1d-4a8e-9b7c-0d2e4f6a8b1c-key-two",
		"3c5e2b0a-6f1d-4a8e-9b7c-0d2e4f6a8b1c-key-thr",
	})
	require.NoError(t, err)
	h := http.Header{headerAPIKey: {"3c5e2b0a-6f1d-4a8e-9b7c-0d2e4f6a8b1c-key-thr"}}

	allocs := testing.AllocsPerRun(100, func() {
		if !set.matchHeader(h, headerAPIKey) {
			t.Fatal("the key did not match")
		}
	})
	assert.Zero(t, allocs)
}

func TestKeySetMatchComparesEveryKey(t *testing.T) {
	t.Parallel()
	keys := []envconfig.Secret{"key-one", "key-two", "key-three"}
	set, err := newKeySet("Auth", "APIKeys", keys)
	require.NoError(t, err)
	for i, key := range keys {
		assert.Equal(t, sha256.Sum256([]byte(key.Reveal())), set.sums[i],
			"the set must contain the SHA-256 sum of key %d, not the key", i)
	}

	tests := []struct {
		name      string
		key       string
		viaHeader bool
		want      bool
	}{
		{"first key", "key-one", false, true},
		{"last key", "key-three", false, true},
		{"wrong key", "key-four", false, false},
		{"long wrong key", strings.Repeat("k", stackKeyBytes+1), false, false},
		{"first key in the header", "key-one", true, true},
		{"wrong key in the header", "key-on", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var compared []int
			counting := set
			counting.onCompare = func(i int) { compared = append(compared, i) }

			var got bool
			if tt.viaHeader {
				got = counting.matchHeader(http.Header{headerAPIKey: {tt.key}}, headerAPIKey)
			} else {
				got = counting.match(tt.key)
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, []int{0, 1, 2}, compared, "every configured key must be compared, "+
				"in order, even after a match")
		})
	}
}

func TestKeySetEmptyKeyComparesNothing(t *testing.T) {
	t.Parallel()
	set, err := newKeySet("Auth", "APIKeys", []envconfig.Secret{"key-one"})
	require.NoError(t, err)
	compared := 0
	set.onCompare = func(int) { compared++ }

	assert.False(t, set.match(""))
	assert.False(t, set.matchHeader(http.Header{}, headerAPIKey))
	assert.False(t, set.matchHeader(http.Header{headerAPIKey: {""}}, headerAPIKey))
	assert.Zero(t, compared, "an empty or missing key is rejected before any comparison")
}
