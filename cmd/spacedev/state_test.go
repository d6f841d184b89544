package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStateFolder(t *testing.T) {
	project := t.TempDir()
	st, err := openState(project)
	require.NoError(t, err)

	info, err := os.Stat(st.dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), info.Mode().Perm())
	ignore, err := os.ReadFile(filepath.Join(project, ".spacedev", ".gitignore"))
	require.NoError(t, err)
	assert.Equal(t, "*\n", string(ignore))
}

func TestKeysAreStable(t *testing.T) {
	project := t.TempDir()
	st, err := openState(project)
	require.NoError(t, err)

	var wg sync.WaitGroup
	results := make([]appKeys, 8)
	for i := range results {
		wg.Go(func() {
			other, err := openState(project)
			assert.NoError(t, err)
			results[i], err = other.keys()
			assert.NoError(t, err)
		})
	}
	wg.Wait()

	first, err := st.keys()
	require.NoError(t, err)
	for _, got := range results {
		assert.Equal(t, first, got, "every caller gets the keys stored first")
	}
	assert.Regexp(t, `^[A-Za-z0-9_-]{43}$`, first.SessionKey.Reveal(),
		"32 random bytes in unpadded base64url")
	assert.Regexp(t, `^[A-Z2-7]{26}$`, first.APIKey.Reveal())
	assert.Regexp(t, `^[a-z2-7]{8}_[A-Z2-7]{26}$`, first.ProjectKey.Reveal())

	info, err := os.Stat(filepath.Join(st.dir, keysFileName))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	entries, err := os.ReadDir(st.dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary file is left: %v", entries)
}

func TestKeysCorrupted(t *testing.T) {
	st, err := openState(t.TempDir())
	require.NoError(t, err)
	path := filepath.Join(st.dir, keysFileName)
	require.NoError(t, os.WriteFile(path, []byte(`{"api_key":"x"}`), 0o600))

	_, err = st.keys()
	assert.EqualError(t, err, "read keys from "+path+": a key is missing or invalid: delete "+
		"the file to generate new keys")
}

func TestRunState(t *testing.T) {
	st, err := openState(t.TempDir())
	require.NoError(t, err)

	_, err = st.readRun()
	assert.ErrorIs(t, err, errNotRunning)
	assert.NoError(t, st.checkNotRunning())

	mine := runInfo{PID: os.Getpid(), Addr: "localhost:4200", URL: "http://localhost:4200",
		Ports: map[string]int{"web": 40001}}
	require.NoError(t, st.writeRun(mine))
	got, err := st.readRun()
	require.NoError(t, err)
	assert.Equal(t, mine, got)
	assert.EqualError(t, st.checkNotRunning(), "spacedev up already serves this project at "+
		"http://localhost:4200 (process "+strconv.Itoa(os.Getpid())+"): stop it first")

	require.NoError(t, st.removeRun())
	_, err = st.readRun()
	assert.ErrorIs(t, err, errNotRunning)
}

func TestRunStateOfEndedProcess(t *testing.T) {
	st, err := openState(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, st.writeRun(runInfo{PID: 1 << 30, URL: "http://localhost:4200"}))

	_, err = st.readRun()
	assert.ErrorIs(t, err, errNotRunning)
	assert.ErrorContains(t, err, "that served http://localhost:4200 has ended")
	assert.NoError(t, st.checkNotRunning())
}

func TestKeysSessionKeyForms(t *testing.T) {
	raw := make([]byte, 32)
	for i := range raw {
		raw[i] = byte(i * 7) // bytes that are not printable, as crypto/rand gives
	}
	standard := base64.StdEncoding.EncodeToString(raw)
	tests := []struct {
		name       string
		sessionKey string
		wantErr    string
	}{
		{"padded standard base64", standard, ""},
		{"unpadded base64url", base64.RawURLEncoding.EncodeToString(raw), ""},
		{"short", "c2hvcnQ=", "session key has 8 bytes"},
		{"with a space", strings.Repeat("k", 20) + " " + strings.Repeat("k", 20),
			"printable ASCII"},
		{"empty", "", "a key is missing or invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := openState(t.TempDir())
			require.NoError(t, err)
			path := filepath.Join(st.dir, keysFileName)
			data, err := json.Marshal(map[string]string{"api_key": "A", "project_key": "p_B",
				"session_key": tt.sessionKey})
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(path, data, 0o600))

			keys, err := st.keys()
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Contains(t, err.Error(), "delete the file to generate new keys")
				if tt.sessionKey != "" {
					assert.NotContains(t, err.Error(), tt.sessionKey)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.sessionKey, keys.SessionKey.Reveal(),
				"the stored text is the key, so Micros get the router's bytes")
		})
	}
}
