package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spacekit/spacekit/envconfig"
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
	dir string
}

// appKeys are the generated secrets of one project.
type appKeys struct {
	APIKey     envconfig.Secret // DETA_API_KEY
	ProjectKey envconfig.Secret // DETA_PROJECT_KEY, "<project id>_<secret>"
	SessionKey []byte           // signs session cookies, 32 bytes
}

// keysFile is the on-disk form of appKeys. Only this type holds the keys as plain strings.
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
	return &state{dir: dir}, nil
}

// keys returns the project's keys, generating and storing them on first use.
func (s *state) keys() (appKeys, error) {
	path := filepath.Join(s.dir, keysFileName)
	if _, err := os.Stat(path); err == nil {
		return readKeys(path)
	}
	fresh, err := newKeysFile()
	if err != nil {
		return appKeys{}, err
	}
	data, err := json.MarshalIndent(fresh, "", "  ")
	if err != nil {
		return appKeys{}, fmt.Errorf("encode keys: %w", err)
	}
	if err := writeFileOnce(path, data); err != nil {
		return appKeys{}, fmt.Errorf("store keys in %s: %w", path, err)
	}
	return readKeys(path)
}

func newKeysFile() (keysFile, error) {
	session := make([]byte, 32)
	if _, err := rand.Read(session); err != nil {
		return keysFile{}, fmt.Errorf("generate session key: %w", err)
	}
	projectID := strings.ToLower(rand.Text()[:8])
	return keysFile{
		APIKey:     rand.Text(),
		ProjectKey: projectID + "_" + rand.Text(),
		SessionKey: base64.StdEncoding.EncodeToString(session),
	}, nil
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
	session, err := base64.StdEncoding.DecodeString(file.SessionKey)
	if err != nil || len(session) < 32 || file.APIKey == "" || file.ProjectKey == "" {
		return appKeys{}, fmt.Errorf("read keys from %s: a key is missing or invalid: delete "+
			"the file to generate new keys", path)
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
