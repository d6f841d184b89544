package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/spacekit/spacekit/examples/notes/atomicfile"
)

// notesFile is the name of the file, inside the data folder, that contains every note.
const notesFile = "notes.json"

// Store keeps the notes in memory and in one JSON file. Every change rewrites the file with
// [atomicfile.Write] before it changes the memory, so a change that returned no error is on
// disk. A Store is safe for concurrent use. Create one with [OpenStore].
type Store struct {
	mu    sync.Mutex
	path  string
	notes []Note // in creation order; replaced, never changed in place
	now   func() time.Time
}

// OpenStore loads the notes from dir, which it creates when missing. now supplies creation
// times; nil means [time.Now].
func OpenStore(dir string, now func() time.Time) (*Store, error) {
	if dir == "" {
		return nil, errors.New("open store: the data folder is empty: set DATA_DIR")
	}
	if now == nil {
		now = time.Now
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open store: create data folder: %w", err)
	}

	path := filepath.Join(dir, notesFile)
	if err := atomicfile.RemoveTemp(path); err != nil {
		return nil, fmt.Errorf("open store: remove temporary files: %w", err)
	}
	notes, err := readNotes(path)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return &Store{path: path, notes: notes, now: now}, nil
}

func readNotes(path string) ([]Note, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return []Note{}, nil
	}
	if err != nil {
		return nil, err
	}

	var notes []Note
	if err := json.Unmarshal(data, &notes); err != nil {
		return nil, fmt.Errorf("read %s: %w: restore the file or move it away", path, err)
	}
	if notes == nil {
		notes = []Note{}
	}
	return notes, nil
}

// List returns every note, oldest first.
func (s *Store) List() []Note {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.notes)
}

// Get returns the note with the given id, or an error that wraps [ErrNotFound].
func (s *Store) Get(id string) (Note, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, err := s.indexOf(id)
	if err != nil {
		return Note{}, err
	}
	return s.notes[i], nil
}

// FindShared returns the shared note whose share token is token, or an error that wraps
// [ErrNotFound].
func (s *Store) FindShared(token string) (Note, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.notes {
		if n.Shared && token != "" && n.ShareToken == token {
			return n, nil
		}
	}
	return Note{}, fmt.Errorf("share token: %w", ErrNotFound)
}

// Add stores a new note and returns it. The text must pass [validateText].
func (s *Store) Add(text string, shared bool) (Note, error) {
	if err := validateText(text); err != nil {
		return Note{}, err
	}
	note := Note{ID: newID(), Text: text, Created: s.now().UTC().Truncate(time.Millisecond)}
	setShared(&note, shared)

	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.replace(append(slices.Clone(s.notes), note)); err != nil {
		return Note{}, err
	}
	return note, nil
}

// SetShared shares the note with the given id or stops sharing it, and returns the note.
// Sharing a shared note keeps its token; sharing it again after a stop makes a new token, so
// old links stay dead.
func (s *Store) SetShared(id string, shared bool) (Note, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, err := s.indexOf(id)
	if err != nil {
		return Note{}, err
	}

	notes := slices.Clone(s.notes)
	setShared(&notes[i], shared)
	if err := s.replace(notes); err != nil {
		return Note{}, err
	}
	return notes[i], nil
}

// Delete removes the note with the given id, or returns an error that wraps [ErrNotFound].
func (s *Store) Delete(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, err := s.indexOf(id)
	if err != nil {
		return err
	}
	return s.replace(slices.Delete(slices.Clone(s.notes), i, i+1))
}

// indexOf returns the position of the note with the given id. The caller holds s.mu.
func (s *Store) indexOf(id string) (int, error) {
	i := slices.IndexFunc(s.notes, func(n Note) bool { return n.ID == id })
	if i < 0 {
		return 0, fmt.Errorf("note %q: %w", id, ErrNotFound)
	}
	return i, nil
}

// replace writes notes to disk and then makes them the current notes. The caller holds s.mu.
func (s *Store) replace(notes []Note) error {
	data, err := json.MarshalIndent(notes, "", "  ")
	if err != nil {
		return fmt.Errorf("encode notes: %w", err)
	}
	if err := atomicfile.Write(s.path, data); err != nil {
		return fmt.Errorf("save notes: %w", err)
	}
	s.notes = notes
	return nil
}

func setShared(n *Note, shared bool) {
	switch {
	case shared && !n.Shared:
		n.ShareToken = rand.Text()
	case !shared:
		n.ShareToken = ""
	}
	n.Shared = shared
}

// newID returns a random note id of 16 hex digits.
func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error since Go 1.24.
	return hex.EncodeToString(b)
}
