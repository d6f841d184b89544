package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/spacekit/spacekit/examples/notes/atomicfile"
)

// statsFile is the name of the file, inside the data folder, that contains the statistics.
const statsFile = "stats.json"

// Stats are the statistics that the collect-stats action stores. Notes and Shared are the
// counts at LastRun. Runs counts the runs that succeeded. LastRun is absent before the first.
type Stats struct {
	Notes   int       `json:"notes"`
	Shared  int       `json:"shared"`
	Runs    int       `json:"runs"`
	LastRun time.Time `json:"last_run,omitzero"`
}

// StatsStore keeps [Stats] in memory and in one JSON file, which every change rewrites with
// [atomicfile.Write] before it changes the memory. A StatsStore is safe for concurrent use.
// Create one with [OpenStatsStore].
type StatsStore struct {
	mu    sync.Mutex
	path  string
	stats Stats
}

// OpenStatsStore loads the statistics from dir, which it creates when missing.
func OpenStatsStore(dir string) (*StatsStore, error) {
	if dir == "" {
		return nil, errors.New("open statistics: the data folder is empty: set DATA_DIR")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open statistics: create data folder: %w", err)
	}

	path := filepath.Join(dir, statsFile)
	if err := atomicfile.RemoveTemp(path); err != nil {
		return nil, fmt.Errorf("open statistics: remove temporary files: %w", err)
	}
	stats, err := readStats(path)
	if err != nil {
		return nil, fmt.Errorf("open statistics: %w", err)
	}
	return &StatsStore{path: path, stats: stats}, nil
}

func readStats(path string) (Stats, error) {
	var stats Stats
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return stats, nil
	}
	if err != nil {
		return stats, err
	}
	if err := json.Unmarshal(data, &stats); err != nil {
		return stats, fmt.Errorf("read %s: %w: restore the file or move it away", path, err)
	}
	return stats, nil
}

// Get returns the current statistics.
func (s *StatsStore) Get() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Record stores the counts of one successful run at the given time, adds one to Runs and
// returns the new statistics.
func (s *StatsStore) Record(notes, shared int, at time.Time) (Stats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := Stats{Notes: notes, Shared: shared, Runs: s.stats.Runs + 1, LastRun: at.UTC()}
	data, err := json.MarshalIndent(next, "", "  ")
	if err != nil {
		return Stats{}, fmt.Errorf("encode statistics: %w", err)
	}
	if err := atomicfile.Write(s.path, data); err != nil {
		return Stats{}, fmt.Errorf("save statistics: %w", err)
	}
	s.stats = next
	return next, nil
}
