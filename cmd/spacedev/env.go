package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
)

// devVersion is DETA_SPACE_APP_VERSION under spacedev: there is no release.
const devVersion = "dev"

// envVar is one variable that spacedev sets for a Micro.
type envVar struct {
	name   string
	value  string
	secret bool
}

// envSource is the input of a Micro's environment.
type envSource struct {
	hostname string                      // the router's host:port, DETA_SPACE_APP_HOSTNAME
	keys     appKeys                     // the project's generated keys
	session  router.SessionConfig        // the router's sessions; zero with --no-auth
	shell    func(string) (string, bool) // the environment spacedev runs in
}

// microEnv returns the variables spacedev sets for m, in a fixed order: the platform's
// variables of the Space runtime, then the Spacefile's presets.env entries. A preset whose value
// is empty in both the shell and the Spacefile is left out. A preset named like a platform
// variable is left out too, because Space set the platform value.
func microEnv(m *microPlan, src envSource) ([]envVar, error) {
	vars, err := platformEnv(m, src)
	if err != nil {
		return nil, err
	}
	for _, preset := range m.spec.Presets.Env {
		if slices.ContainsFunc(vars, func(v envVar) bool { return v.name == preset.Name }) {
			continue
		}
		if value, ok := presetValue(preset.Name, preset.Default, src.shell); ok {
			vars = append(vars, envVar{preset.Name, value, looksSecret(preset.Name)})
		}
	}
	return vars, nil
}

// platformEnv returns the variables Space set for every Micro: PORT, then those of
// [router.MicroEnv], which spacetest sets too (the hostname, SPACEKIT_BASE_URL when the
// hostname alone would mean https, the app's key, the Micro's name and type, and the session
// key and cookie name unless authentication is off), then the project key, the version "dev"
// and DETA_SPACE_APP=false, so code can tell that it runs locally.
func platformEnv(m *microPlan, src envSource) ([]envVar, error) {
	shared, err := router.MicroEnv(router.MicroEnvSpec{
		Hostname: src.hostname, APIKey: src.keys.APIKey, Name: m.name(),
		Primary: m.microType() == envconfig.MicroTypePrimary, Session: src.session,
	})
	if err != nil {
		return nil, fmt.Errorf("environment of Micro %q: %w", m.name(), err)
	}
	vars := make([]envVar, 0, len(shared)+4)
	vars = append(vars, envVar{envconfig.EnvPort, strconv.Itoa(m.port), false})
	for _, v := range shared {
		vars = append(vars, envVar{v.Name, v.Value, v.Secret})
	}
	return append(vars,
		envVar{envconfig.EnvProjectKey, src.keys.ProjectKey.Reveal(), true},
		envVar{envconfig.EnvVersion, devVersion, false},
		envVar{envconfig.EnvOnSpace, "false", false},
	), nil
}

// presetValue returns the shell's value of a preset when it is not blank, else its default.
func presetValue(name, def string, shell func(string) (string, bool)) (string, bool) {
	if value, ok := shell(name); ok && strings.TrimSpace(value) != "" {
		return value, true
	}
	return def, def != ""
}

// looksSecret reports whether a preset's name suggests a secret, such as API_TOKEN or
// DB_PASSWORD. "spacedev env" redacts those values unless --reveal is given.
func looksSecret(name string) bool {
	upper := strings.ToUpper(name)
	for _, word := range []string{"KEY", "SECRET", "TOKEN", "PASSWORD", "PASSWD", "CREDENTIAL"} {
		if strings.Contains(upper, word) {
			return true
		}
	}
	return false
}

// processEnv returns the environment of a Micro's process: the parent's environment with the
// Micro's variables replacing any of the same name. The parent's SPACEKIT_BASE_URL is dropped,
// because it would send the Micro's calls to another app.
func processEnv(parent []string, vars []envVar) []string {
	set := map[string]bool{envconfig.EnvBaseURL: true}
	for _, v := range vars {
		set[v.name] = true
	}
	env := make([]string, 0, len(parent)+len(vars))
	for _, kv := range parent {
		name, _, _ := strings.Cut(kv, "=")
		if !set[name] {
			env = append(env, kv)
		}
	}
	for _, v := range vars {
		env = append(env, v.name+"="+v.value)
	}
	return env
}

// routerHostname returns DETA_SPACE_APP_HOSTNAME for a router listening on listenAddr, which
// was requested as flagAddr. See [hostnameFor].
func routerHostname(flagAddr string, listenAddr net.Addr) (string, error) {
	_, port, err := net.SplitHostPort(listenAddr.String())
	if err != nil {
		return "", fmt.Errorf("router address %q: %w", listenAddr, err)
	}
	return hostnameFor(flagAddr, port)
}

// hostnameFor returns the host:port that Micros reach the router at: the host of flagAddr, or
// "localhost" when flagAddr names no host or every interface, with the given port.
func hostnameFor(flagAddr, port string) (string, error) {
	host, _, err := net.SplitHostPort(flagAddr)
	if err != nil {
		return "", fmt.Errorf("--addr %q: %w: use host:port, such as localhost:4200", flagAddr,
			err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port), nil
}

func runEnv(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("env", "[flags] [dir] <micro>",
		"Prints the variables that spacedev adds to the environment of the named Micro. Secrets\n"+
			"(the app's keys and presets named like KEY, SECRET, TOKEN or PASSWORD) are redacted.\n"+
			"While \"spacedev up\" runs, PORT and the hostname are the ones it uses.", std)
	reveal := fs.Bool("reveal", false, "print secrets in full instead of "+envconfig.Redacted)
	addr := fs.String("addr", defaultAddr, "router address (host:port) that sets "+
		"DETA_SPACE_APP_HOSTNAME when spacedev up is not running")
	command := fs.String("command", commandDev, "Spacefile command that starts each Micro: "+
		"dev (falling back to run) or run")
	args, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := checkCommandFlag("env", *command); err != nil {
		return err
	}
	if err := checkAddrFlag("env", *addr); err != nil {
		return err
	}
	dir, name, err := projectAndName("env", "Micro name", "<micro>", args)
	if err != nil {
		return err
	}
	return printEnv(std.out, dir, name, *addr, *command, *reveal)
}

func printEnv(w io.Writer, dir, name, addr, startCommand string, reveal bool) error {
	m, st, err := loadProcessMicro(dir, name, startCommand)
	if err != nil {
		return err
	}
	src, running, err := envSourceFor(st, m, addr)
	if err != nil {
		return err
	}

	vars, err := microEnv(m, src)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "# Variables spacedev adds to the environment of Micro %q.\n", name)
	for _, v := range vars {
		if v.name == envconfig.EnvPort && !running {
			fmt.Fprintln(w, "# PORT is a free port that \"spacedev up\" picks when it starts.")
			continue
		}
		fmt.Fprintf(w, "%s=%s\n", v.name, formatEnvValue(v, reveal))
	}
	return nil
}

// loadProcessMicro returns the Micro called name, startCommand must run as a process, and the
// project's state folder.
func loadProcessMicro(dir, name, startCommand string) (*microPlan, *state, error) {
	a, err := loadApp(dir, startCommand)
	if err != nil {
		return nil, nil, err
	}
	m, err := a.find(name)
	if err != nil {
		return nil, nil, err
	}
	if m.static() {
		return nil, nil, fmt.Errorf("Micro %q is static: spacedev serves %s itself and "+
			"starts no process", name, m.serveDir)
	}
	st, err := openState(a.dir)
	return m, st, err
}

// envSourceFor returns the source of m's environment. While "spacedev up" runs, the port,
// hostname and sessions are the ones it uses, and running is true. Otherwise the hostname
// comes from addr, and the sessions are those of "spacedev up" without --no-auth.
func envSourceFor(st *state, m *microPlan, addr string) (src envSource, running bool,
	err error) {
	keys, err := st.keys()
	if err != nil {
		return envSource{}, false, err
	}
	src = envSource{keys: keys, session: projectSessions(st.project, keys), shell: os.LookupEnv}
	if applyRunInfo(st, m, &src) {
		return src, true, nil
	}
	_, port, _ := net.SplitHostPort(addr)
	src.hostname, err = hostnameFor(addr, port)
	return src, false, err
}

// applyRunInfo takes the port, hostname and authentication setting from the running
// "spacedev up", if any, and reports whether it found one.
func applyRunInfo(st *state, m *microPlan, src *envSource) bool {
	info, err := st.readRun()
	if err != nil {
		return false
	}
	src.hostname = hostOfURL(info.URL)
	m.port = info.Ports[m.name()]
	if info.NoAuth {
		src.session = router.SessionConfig{}
	}
	return true
}

func hostOfURL(rawURL string) string {
	_, host, _ := strings.Cut(rawURL, "://")
	return host
}

func formatEnvValue(v envVar, reveal bool) string {
	if v.secret && !reveal {
		return envconfig.Redacted
	}
	if v.value == "" || strings.ContainsAny(v.value, " \t\n\"'\\$`#") {
		return strconv.Quote(v.value)
	}
	return v.value
}
