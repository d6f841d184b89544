package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStatsStoreRecordPersists(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := OpenStatsStore(dir)
	require.NoError(t, err)
	assert.Equal(t, Stats{}, s.Get())

	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600))
	first, err := s.Record(4, 1, at)
	require.NoError(t, err)
	assert.Equal(t, Stats{Notes: 4, Shared: 1, Runs: 1, LastRun: at.UTC()}, first)
	second, err := s.Record(5, 2, at.Add(time.Minute))
	require.NoError(t, err)
	assert.Equal(t, Stats{Notes: 5, Shared: 2, Runs: 2, LastRun: at.Add(time.Minute).UTC()},
		second)

	reopened, err := OpenStatsStore(dir)
	require.NoError(t, err)
	assert.Equal(t, second, reopened.Get())
}

func TestStatsStoreFailedRecordChangesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := OpenStatsStore(dir)
	require.NoError(t, err)
	saved, err := s.Record(1, 0, time.Unix(0, 0))
	require.NoError(t, err)

	// A folder in place of stats.json makes the rename fail, even for root.
	path := filepath.Join(dir, statsFile)
	require.NoError(t, os.Remove(path))
	require.NoError(t, os.MkdirAll(filepath.Join(path, "blocker"), 0o700))

	_, err = s.Record(2, 1, time.Unix(60, 0))
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "save statistics: "), err)
	assert.Equal(t, saved, s.Get())
}

func TestOpenStatsStoreErrors(t *testing.T) {
	t.Parallel()
	_, err := OpenStatsStore("")
	assert.EqualError(t, err, "open statistics: the data folder is empty: set DATA_DIR")

	dir := t.TempDir()
	path := filepath.Join(dir, statsFile)
	require.NoError(t, os.WriteFile(path, []byte("[]"), 0o600))
	_, err = OpenStatsStore(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "open statistics: read "+path+": ")
}

func TestOpenStatsStoreRemovesTemporaryFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stale := filepath.Join(dir, ".stats.json-1.tmp")
	require.NoError(t, os.WriteFile(stale, []byte("{"), 0o600))

	_, err := OpenStatsStore(dir)
	require.NoError(t, err)
	assert.NoFileExists(t, stale)
}
