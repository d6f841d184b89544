package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func openTestStore(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := OpenStore(dir, fixedClock)
	require.NoError(t, err)
	return s
}

func TestStoreAddPersists(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openTestStore(t, dir)
	assert.Empty(t, s.List())

	first, err := s.Add("first", false)
	require.NoError(t, err)
	second, err := s.Add("second", true)
	require.NoError(t, err)

	assert.Regexp(t, `^[0-9a-f]{16}$`, first.ID)
	assert.NotEqual(t, first.ID, second.ID)
	assert.Equal(t, testTime.Truncate(time.Millisecond), first.Created)
	assert.False(t, first.Shared)
	assert.Empty(t, first.ShareToken)
	assert.True(t, second.Shared)
	assert.Regexp(t, `^[A-Z2-7]{26}$`, second.ShareToken)
	assert.Equal(t, []Note{first, second}, s.List())

	reopened := openTestStore(t, dir)
	assert.Equal(t, []Note{first, second}, reopened.List())
}

func TestStoreListIsACopy(t *testing.T) {
	t.Parallel()
	s := openTestStore(t, t.TempDir())
	n, err := s.Add("original", false)
	require.NoError(t, err)

	list := s.List()
	list[0].Text = "changed"
	assert.Equal(t, []Note{n}, s.List())
}

func TestStoreAddRejectsInvalidText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		text    string
		message string
	}{
		{"empty", "", "invalid text: text is blank: write at least one character"},
		{"blank", " \t\n", "invalid text: text is blank: write at least one character"},
		{"too long", strings.Repeat("é", maxTextBytes/2+1),
			"invalid text: text has 10002 bytes: keep it within 10000 bytes"},
		{"invalid UTF-8", "a\xffb", "invalid text: text is not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			s := openTestStore(t, dir)
			_, err := s.Add(tt.text, false)
			require.ErrorIs(t, err, ErrInvalidText)
			assert.EqualError(t, err, tt.message)
			assert.Empty(t, s.List())
			assert.NoFileExists(t, filepath.Join(dir, notesFile))
		})
	}
}

func TestStoreAddAcceptsMaxText(t *testing.T) {
	t.Parallel()
	s := openTestStore(t, t.TempDir())
	text := strings.Repeat("x", maxTextBytes)
	n, err := s.Add(text, false)
	require.NoError(t, err)
	assert.Equal(t, text, n.Text)
}

func TestStoreGet(t *testing.T) {
	t.Parallel()
	s := openTestStore(t, t.TempDir())
	n, err := s.Add("note", false)
	require.NoError(t, err)

	got, err := s.Get(n.ID)
	require.NoError(t, err)
	assert.Equal(t, n, got)

	_, err = s.Get("0000000000000000")
	require.ErrorIs(t, err, ErrNotFound)
	assert.EqualError(t, err, `note "0000000000000000": not found`)
}

func TestStoreSetSharedTokens(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openTestStore(t, dir)
	n, err := s.Add("note", false)
	require.NoError(t, err)

	shared, err := s.SetShared(n.ID, true)
	require.NoError(t, err)
	assert.True(t, shared.Shared)
	assert.Regexp(t, `^[A-Z2-7]{26}$`, shared.ShareToken)

	again, err := s.SetShared(n.ID, true)
	require.NoError(t, err)
	assert.Equal(t, shared.ShareToken, again.ShareToken, "sharing twice keeps the link")

	stopped, err := s.SetShared(n.ID, false)
	require.NoError(t, err)
	assert.False(t, stopped.Shared)
	assert.Empty(t, stopped.ShareToken)
	_, err = s.FindShared(shared.ShareToken)
	require.ErrorIs(t, err, ErrNotFound, "the old link is dead")

	reshared, err := s.SetShared(n.ID, true)
	require.NoError(t, err)
	assert.NotEqual(t, shared.ShareToken, reshared.ShareToken)
	assert.Equal(t, []Note{reshared}, openTestStore(t, dir).List())

	_, err = s.SetShared("0000000000000000", true)
	require.ErrorIs(t, err, ErrNotFound)
}

func TestStoreFindShared(t *testing.T) {
	t.Parallel()
	s := openTestStore(t, t.TempDir())
	private, err := s.Add("private", false)
	require.NoError(t, err)
	public, err := s.Add("public", true)
	require.NoError(t, err)

	got, err := s.FindShared(public.ShareToken)
	require.NoError(t, err)
	assert.Equal(t, public, got)

	for _, token := range []string{"", private.ShareToken, "NOSUCHTOKEN", private.ID} {
		_, err := s.FindShared(token)
		assert.ErrorIs(t, err, ErrNotFound, "token %q", token)
	}
}

func TestStoreDelete(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openTestStore(t, dir)
	first, err := s.Add("first", false)
	require.NoError(t, err)
	second, err := s.Add("second", false)
	require.NoError(t, err)

	require.NoError(t, s.Delete(first.ID))
	assert.Equal(t, []Note{second}, s.List())
	assert.Equal(t, []Note{second}, openTestStore(t, dir).List())

	err = s.Delete(first.ID)
	require.ErrorIs(t, err, ErrNotFound)
}

func TestStoreFailedSaveChangesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openTestStore(t, dir)
	saved, err := s.Add("saved", false)
	require.NoError(t, err)

	// A folder in place of notes.json makes the rename fail, even for root.
	path := filepath.Join(dir, notesFile)
	require.NoError(t, os.Remove(path))
	require.NoError(t, os.MkdirAll(filepath.Join(path, "blocker"), 0o700))

	_, err = s.Add("lost", false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "save notes: ")
	assert.Equal(t, []Note{saved}, s.List())

	_, err = s.SetShared(saved.ID, true)
	require.Error(t, err)
	require.Error(t, s.Delete(saved.ID))
	assert.Equal(t, []Note{saved}, s.List())

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file is left behind")
	assert.Equal(t, notesFile, entries[0].Name())
}

func TestOpenStoreRemovesTemporaryFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stale := filepath.Join(dir, ".notes.json-12345.tmp")
	require.NoError(t, os.WriteFile(stale, []byte("[{"), 0o600))
	other := filepath.Join(dir, "keep.tmp")
	require.NoError(t, os.WriteFile(other, nil, 0o600))

	s := openTestStore(t, dir)
	assert.Empty(t, s.List())
	assert.NoFileExists(t, stale)
	assert.FileExists(t, other)
}

func TestOpenStoreErrors(t *testing.T) {
	t.Parallel()
	_, err := OpenStore("", nil)
	assert.EqualError(t, err, "open store: the data folder is empty: set DATA_DIR")

	dir := t.TempDir()
	path := filepath.Join(dir, notesFile)
	require.NoError(t, os.WriteFile(path, []byte("{not json"), 0o600))
	_, err = OpenStore(dir, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "open store: read "+path+": ")
	assert.True(t, strings.HasSuffix(err.Error(), ": restore the file or move it away"), err)
}

func TestStoreConcurrentAdds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openTestStore(t, dir)
	const n = 40

	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := s.Add(fmt.Sprintf("note %d", i), i%2 == 0)
			assert.NoError(t, err)
		})
	}
	wg.Wait()

	assert.Len(t, s.List(), n)
	assert.ElementsMatch(t, s.List(), openTestStore(t, dir).List())
}
