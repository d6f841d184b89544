package router

import (
	"cmp"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/middleware"
)

// EnvVar is one variable of a Micro's environment.
type EnvVar struct {
	Name  string
	Value string

	// Secret marks a key, which a listing of the environment redacts unless asked otherwise.
	Secret bool
}

// SessionConfig is the signing key and the cookie name of an app's browser sessions. The
// router's [middleware.Sessions] is made from it with [SessionConfig.NewSessions], and
// [MicroEnv] passes the same key and name to every Micro, so a Micro verifies the very cookies
// the router issued.
type SessionConfig struct {
	// Key signs the session cookies with its bytes. It is printable ASCII without spaces,
	// because it travels in an environment variable, and at least
	// [middleware.MinSessionKeyBytes] long. [NewSessionKey] makes one.
	Key envconfig.Secret

	// CookieName is the session cookie's name. Empty means [middleware.DefaultCookieName].
	CookieName string
}

// sessionKeyRandomBytes is how many random bytes [NewSessionKey] encodes.
const sessionKeyRandomBytes = 32

// NewSessionKey returns a new session key: 32 bytes from crypto/rand in unpadded base64url, 43
// printable characters.
func NewSessionKey() envconfig.Secret {
	random := make([]byte, sessionKeyRandomBytes)
	_, _ = rand.Read(random) // crypto/rand.Read never returns an error
	return envconfig.Secret(base64.RawURLEncoding.EncodeToString(random))
}

// cookieName returns the cookie name that the Sessions made from c uses.
func (c SessionConfig) cookieName() string {
	return cmp.Or(c.CookieName, middleware.DefaultCookieName)
}

// Validate returns an error when Key or CookieName is unusable. The error never contains the
// key.
func (c SessionConfig) Validate() error {
	key := c.Key.Reveal()
	if len(key) < middleware.MinSessionKeyBytes {
		return fmt.Errorf("router: session key has %d bytes: use at least %d, such as one from "+
			"router.NewSessionKey", len(key), middleware.MinSessionKeyBytes)
	}
	for i := 0; i < len(key); i++ {
		if key[i] <= ' ' || key[i] > '~' {
			return fmt.Errorf("router: session key has a byte other than printable ASCII at "+
				"offset %d: use printable characters without spaces, such as a key from "+
				"router.NewSessionKey", i)
		}
	}
	if _, err := middleware.NewSessions(middleware.SessionOptions{
		Keys: [][]byte{[]byte(key)}, CookieName: c.CookieName,
	}); err != nil {
		return fmt.Errorf("router: session cookie name %q is invalid: use letters, digits, "+
			"\"-\" and \"_\"", c.CookieName)
	}
	return nil
}

// NewSessions returns the Sessions that sign and verify the cookies of c: opts with Keys set to
// the bytes of c.Key and CookieName set to c.CookieName. opts.Keys and opts.CookieName must be
// unset, so that nothing else can make the router's cookies differ from what [MicroEnv] gives
// the Micros. The error never contains the key.
func (c SessionConfig) NewSessions(opts middleware.SessionOptions) (*middleware.Sessions,
	error) {
	if opts.Keys != nil || opts.CookieName != "" {
		return nil, errors.New("router: SessionConfig.NewSessions: opts sets Keys or " +
			"CookieName: set them in the SessionConfig instead")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	opts.Keys = [][]byte{[]byte(c.Key.Reveal())}
	opts.CookieName = c.CookieName
	return middleware.NewSessions(opts)
}

// MicroEnvSpec is the input of [MicroEnv].
type MicroEnvSpec struct {
	// Hostname is the host, with a port if any, at which the router serves the app, such as
	// "localhost:4200". Required.
	Hostname string

	// APIKey is the app's DETA_API_KEY, which every Micro shares. Required.
	APIKey envconfig.Secret

	// Name is the Micro's name, and Primary reports whether it is the primary Micro.
	Name    string
	Primary bool

	// Session is the app's session configuration, the one the router's Sessions was made
	// from. The zero value means the router has no sessions, as with [Options.NoAuth], and
	// the Micro gets no session variables.
	Session SessionConfig
}

// MicroEnv returns the platform's variables of a Micro's environment, in this order:
//
//   - DETA_SPACE_APP_HOSTNAME, the app's host;
//   - SPACEKIT_BASE_URL, "http://" and the host, only when the host alone would mean https to
//     [envconfig.ParseHostname], because the router serves plain http;
//   - DETA_API_KEY (secret);
//   - DETA_SPACE_APP_MICRO_NAME and DETA_SPACE_APP_MICRO_TYPE ("primary" or "normal");
//   - SPACEKIT_SESSION_KEY (secret) and SPACEKIT_SESSION_COOKIE, the session key and the
//     cookie name, the default one included, unless spec.Session is the zero value.
//
// With those, [middleware.AuthFromEnv] in the Micro admits the router's session cookies. Both
// spacetest and the spacedev command build a Micro's environment with MicroEnv, so they
// cannot disagree. The error names the invalid field and never contains a key.
func MicroEnv(spec MicroEnvSpec) ([]EnvVar, error) {
	if err := spec.validate(); err != nil {
		return nil, err
	}
	vars := []EnvVar{{Name: envconfig.EnvHostname, Value: spec.Hostname}}
	if base, _ := envconfig.ParseHostname(spec.Hostname); base.Scheme != "http" {
		vars = append(vars, EnvVar{Name: envconfig.EnvBaseURL, Value: "http://" + spec.Hostname})
	}
	microType := envconfig.MicroTypeNormal
	if spec.Primary {
		microType = envconfig.MicroTypePrimary
	}
	vars = append(vars,
		EnvVar{Name: envconfig.EnvAPIKey, Value: spec.APIKey.Reveal(), Secret: true},
		EnvVar{Name: envconfig.EnvMicroName, Value: spec.Name},
		EnvVar{Name: envconfig.EnvMicroType, Value: microType},
	)
	if spec.Session != (SessionConfig{}) {
		vars = append(vars,
			EnvVar{Name: envconfig.EnvSessionKey, Value: spec.Session.Key.Reveal(), Secret: true},
			EnvVar{Name: envconfig.EnvSessionCookie, Value: spec.Session.cookieName()},
		)
	}
	return vars, nil
}

func (spec MicroEnvSpec) validate() error {
	if _, err := envconfig.ParseHostname(spec.Hostname); err != nil {
		return fmt.Errorf("router: MicroEnv: Hostname: %w", err)
	}
	if strings.TrimSpace(spec.Hostname) != spec.Hostname || strings.Contains(spec.Hostname,
		"://") {
		return fmt.Errorf("router: MicroEnv: Hostname %q is not a bare host: give the host "+
			"and port without a scheme or spaces, such as localhost:4200", spec.Hostname)
	}
	if spec.APIKey.IsZero() {
		return errors.New("router: MicroEnv: APIKey is empty: set the app's DETA_API_KEY")
	}
	if !microName.MatchString(spec.Name) {
		return fmt.Errorf("router: MicroEnv: Name %q is invalid: use letters, digits, \"-\" "+
			"and \"_\", starting with a letter or digit", spec.Name)
	}
	if spec.Session == (SessionConfig{}) {
		return nil
	}
	if err := spec.Session.Validate(); err != nil {
		return fmt.Errorf("router: MicroEnv: Session: %w", err)
	}
	return nil
}
