package main

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
)

// stateDirName is the folder, inside the project, where spacedev keeps its generated keys and
// the address of the running router. It holds a .gitignore that ignores everything in it.
const stateDirName = ".spacedev"

const (
	keysFileName = "keys.json"
	runFileName  = "run.json"
)

// errNotRunning reports that no "spacedev up" serves the project.
var errNotRunning = errors.New("no spacedev up is running for this project")

// state is a project's state folder. The keys in it stay the same from one run to the next, so
// a restart keeps sessions valid and Micros see the same DETA_API_KEY.
type state struct {
	dir     string // the state folder
	project string // the project's folder, which contains dir
}

// appKeys are the generated secrets of one project.
type appKeys struct {
	APIKey     envconfig.Secret // DETA_API_KEY
	ProjectKey envconfig.Secret // DETA_PROJECT_KEY, "<project id>_<secret>"
	SessionKey envconfig.Secret // signs session cookies with its bytes; SPACEKIT_SESSION_KEY
}

// keysFile is the on-disk form of appKeys. Only this type holds the keys as plain strings.
//
// session_key is the session key's text, whose bytes sign the cookies and which Micros get as
// SPACEKIT_SESSION_KEY. spacedev writes 32 random bytes in unpadded base64url. It accepts any
// printable text of at least 32 bytes without spaces, such as the padded standard base64 that
// older versions of spacedev wrote.
type keysFile struct {
	APIKey     string `json:"api_key"`
	ProjectKey string `json:"project_key"`
	SessionKey string `json:"session_key"`
}

// runInfo describes the running "spacedev up" of a project.
type runInfo struct {
	PID  int    `json:"pid"`
	Addr string `json:"addr"` // host:port the router listens on
	URL  string `json:"url"`  // the app's URL

	// Ports maps each Micro that runs a process to the port it listens on.
	Ports map[string]int `json:"ports,omitempty"`

	// NoAuth reports that authentication is off (--no-auth), so Micros get no session key.
	NoAuth bool `json:"no_auth,omitempty"`
}

// openState creates the state folder of the project in projectDir when it is missing.
func openState(projectDir string) (*state, error) {
	dir := filepath.Join(projectDir, stateDirName)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create state folder %s: %w", dir, err)
	}
	ignore := filepath.Join(dir, ".gitignore")
	if err := writeFileOnce(ignore, []byte("*\n")); err != nil {
		return nil, fmt.Errorf("create %s: %w", ignore, err)
	}
	return &state{dir: dir, project: projectDir}, nil
}

// keys returns the project's keys, generating and storing them on first use.
func (s *state) keys() (appKeys, error) {
	path := filepath.Join(s.dir, keysFileName)
	if _, err := os.Stat(path); err == nil {
		return readKeys(path)
	}
	data, err := json.MarshalIndent(newKeysFile(), "", "  ")
	if err != nil {
		return appKeys{}, fmt.Errorf("encode keys: %w", err)
	}
	if err := writeFileOnce(path, data); err != nil {
		return appKeys{}, fmt.Errorf("store keys in %s: %w", path, err)
	}
	return readKeys(path)
}

func newKeysFile() keysFile {
	projectID := strings.ToLower(rand.Text()[:8])
	return keysFile{
		APIKey:     rand.Text(),
		ProjectKey: projectID + "_" + rand.Text(),
		SessionKey: router.NewSessionKey().Reveal(),
	}
}

func readKeys(path string) (appKeys, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return appKeys{}, fmt.Errorf("read keys: %w", err)
	}
	var file keysFile
	if err := json.Unmarshal(data, &file); err != nil {
		return appKeys{}, fmt.Errorf("read keys from %s: %w: delete the file to generate new "+
			"keys", path, err)
	}
	if file.APIKey == "" || file.ProjectKey == "" || file.SessionKey == "" {
		return appKeys{}, fmt.Errorf("read keys from %s: a key is missing or invalid: delete "+
			"the file to generate new keys", path)
	}
	session := envconfig.Secret(file.SessionKey)
	if err := (router.SessionConfig{Key: session}).Validate(); err != nil {
		return appKeys{}, fmt.Errorf("read keys from %s: session_key is invalid: %w: delete "+
			"the file to generate new keys", path, err)
	}
	return appKeys{
		APIKey:     envconfig.Secret(file.APIKey),
		ProjectKey: envconfig.Secret(file.ProjectKey),
		SessionKey: session,
	}, nil
}

// writeRun records the running router, so "spacedev trigger" can find it.
func (s *state) writeRun(info runInfo) error {
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return fmt.Errorf("encode run state: %w", err)
	}
	path := filepath.Join(s.dir, runFileName)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("write run state: %w", err)
	}
	return nil
}

// readRun returns the running router's record, or an error that wraps [errNotRunning] when no
// live process wrote one.
func (s *state) readRun() (runInfo, error) {
	path := filepath.Join(s.dir, runFileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return runInfo{}, fmt.Errorf("%w: start it with \"spacedev up\"", errNotRunning)
	}
	if err != nil {
		return runInfo{}, fmt.Errorf("read run state: %w", err)
	}
	var info runInfo
	if err := json.Unmarshal(data, &info); err != nil {
		return runInfo{}, fmt.Errorf("read run state from %s: %w", path, err)
	}
	if !processAlive(info.PID) {
		return runInfo{}, fmt.Errorf("%w: process %d that served %s has ended: start it "+
			"with \"spacedev up\"", errNotRunning, info.PID, info.URL)
	}
	return info, nil
}

// removeRun deletes the run record if this process wrote it.
func (s *state) removeRun() error {
	info, err := s.readRun()
	if err != nil || info.PID != os.Getpid() {
		return nil
	}
	if err := os.Remove(filepath.Join(s.dir, runFileName)); err != nil {
		return fmt.Errorf("remove run state: %w", err)
	}
	return nil
}

// checkNotRunning fails when another live "spacedev up" serves the same project.
func (s *state) checkNotRunning() error {
	info, err := s.readRun()
	if errors.Is(err, errNotRunning) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("spacedev up already serves this project at %s (process %d): stop it "+
		"first", info.URL, info.PID)
}

func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// writeFileOnce creates path with data unless it exists. It writes a temporary file and links
// it into place, so a concurrent reader never sees a partial file and two writers cannot both
// win.
func writeFileOnce(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())

	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	err = os.Link(tmp.Name(), path)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	return err
}
