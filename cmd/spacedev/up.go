package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/spacekit/spacekit/internal/router"
	"github.com/spacekit/spacekit/middleware"
)

// defaultAddr is the router's default address.
const defaultAddr = "localhost:4200"

// loginTokenTTL is how long a printed login URL stays valid.
const loginTokenTTL = 10 * time.Minute

// shutdownTimeout bounds the wait for requests in flight when the app stops.
const shutdownTimeout = 5 * time.Second

// ownerSubject is the session subject of the app's owner, the only user of a spacedev app.
const ownerSubject = "owner"

// upOptions are the flags of "spacedev up".
type upOptions struct {
	addr          string
	noAuth        bool
	command       string
	startTimeout  time.Duration
	stopTimeout   time.Duration
	onCrash       string
	maxRestarts   int
	scheduleSpeed int
	log           logFlags
}

func runUp(ctx context.Context, args []string, std stdio) error {
	opts, dir, err := parseUpFlags(args, std)
	if err != nil {
		return err
	}
	logger, err := opts.log.newLogger("up", std.err)
	if err != nil {
		return err
	}
	u := &upRun{opts: opts, std: std, logger: logger}
	return u.run(ctx, dir)
}

func parseUpFlags(args []string, std stdio) (upOptions, string, error) {
	var o upOptions
	fs := newFlagSet("up", "[flags] [dir]",
		"Starts every Micro of the app in dir with its dev command (or run), each with the\n"+
			"environment Space gave it, waits until each listens, and serves the app on --addr\n"+
			"through the router. Scheduled actions run on their intervals. SIGINT or SIGTERM\n"+
			"stops every Micro's process group and exits with status 0.\n\n"+
			"Before a Micro starts with its run command, its Spacefile commands (the build\n"+
			"steps) run in order in its src folder, as on Space, and the first that fails\n"+
			"stops spacedev. With the dev command they are skipped, because a dev command\n"+
			"such as \"go run .\" builds for itself.\n\n"+
			"Paths under /__spacedev/ belong to spacedev's control endpoint.", std)
	fs.StringVar(&o.addr, "addr", defaultAddr, "address (host:port) the router listens on; "+
		"the app's URL is http://<addr>")
	fs.BoolVar(&o.noAuth, "no-auth", false, "turn authentication off: every route is public")
	fs.StringVar(&o.command, "command", commandDev, "Spacefile command that starts each "+
		"Micro: dev (falling back to run) or run")
	fs.DurationVar(&o.startTimeout, "start-timeout", 60*time.Second, "time each Micro has to "+
		"listen on its port after it starts, such as 90s")
	fs.DurationVar(&o.stopTimeout, "stop-timeout", 5*time.Second, "time a Micro's processes "+
		"have to exit after SIGTERM before they get SIGKILL")
	fs.StringVar(&o.onCrash, "on-crash", onCrashRestart, "what a Micro that exits on its own "+
		"causes: restart (it, after a wait that doubles from 500ms to 30s) or stop (the app)")
	fs.IntVar(&o.maxRestarts, "max-restarts", 5, "restarts in a row that --on-crash=restart "+
		"allows a Micro before its next crash stops the app; a run of a minute or more resets "+
		"the count")
	fs.IntVar(&o.scheduleSpeed, "schedule-speed", 1, "factor by which schedule time passes "+
		"faster than real time, for trying out actions: 60 runs a \"1 minute\" action every second")
	o.log.register(fs)

	args, err := fs.parse(args)
	if err != nil {
		return o, "", err
	}
	dir, err := dirArg("up", args)
	if err != nil {
		return o, "", err
	}
	return o, dir, o.validate()
}

func (o upOptions) validate() error {
	switch {
	case o.onCrash != onCrashRestart && o.onCrash != onCrashStop:
		return usagef("up", "--on-crash %q: use restart or stop", o.onCrash)
	case o.startTimeout <= 0:
		return usagef("up", "--start-timeout %s: use a positive duration such as 60s",
			o.startTimeout)
	case o.stopTimeout <= 0:
		return usagef("up", "--stop-timeout %s: use a positive duration such as 5s",
			o.stopTimeout)
	case o.maxRestarts < 0:
		return usagef("up", "--max-restarts %d: use 0 or more", o.maxRestarts)
	case o.scheduleSpeed < 1:
		return usagef("up", "--schedule-speed %d: use 1 (real time) or more", o.scheduleSpeed)
	}
	if err := checkAddrFlag("up", o.addr); err != nil {
		return err
	}
	return checkCommandFlag("up", o.command)
}

// checkAddrFlag checks that addr is host:port with a numeric port from 0 to 65535, where 0
// picks a free port. The host may be empty, which means every interface.
func checkAddrFlag(command, addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef(command, "--addr %q is not host:port: use an address such as %s, "+
			"or [::1]:4200 for an IPv6 host", addr, defaultAddr)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return usagef(command, "--addr %q: port %q is invalid: use a number from 0 to "+
			"65535, such as %s (0 picks a free port)", addr, port, defaultAddr)
	}
	return nil
}

// upRun is one run of "spacedev up".
type upRun struct {
	opts   upOptions
	std    stdio
	logger *slog.Logger

	app      *app
	state    *state
	keys     appKeys
	hostname string // the router's host:port, DETA_SPACE_APP_HOSTNAME
	url      string // the app's URL
	sessions *middleware.Sessions
	router   *router.Router

	// loginCommand is the command that prints a new login URL for this project.
	loginCommand string
}

// run starts the app in dir and serves it until a signal or a fatal crash.
func (u *upRun) run(ctx context.Context, dir string) error {
	ctx, force, stopSignals := watchSignals(ctx, u.logger)
	defer stopSignals()
	u.loginCommand = loginCommand(dir)

	ln, err := u.prepare(dir)
	if err != nil {
		return err
	}
	defer ln.Close()

	handler, release, err := u.buildHandler()
	if err != nil {
		return err
	}
	defer release()

	sup, err := u.newSupervisor(force)
	if err != nil {
		return err
	}
	if err := sup.buildAll(ctx); err != nil {
		if ctx.Err() != nil {
			u.logger.Info("app stopped before it started")
			return nil
		}
		return err
	}
	if err := sup.startAll(ctx); err != nil {
		if ctx.Err() != nil {
			u.logger.Info("app stopped before it started")
			return nil
		}
		return err
	}
	return u.serve(ctx, ln, handler, sup)
}

// prepare loads the app, its state and keys, and listens on --addr. It starts nothing, so a
// failure leaves nothing running.
func (u *upRun) prepare(dir string) (net.Listener, error) {
	var err error
	if u.app, err = loadApp(dir, u.opts.command); err != nil {
		return nil, err
	}
	if u.state, err = openState(u.app.dir); err != nil {
		return nil, err
	}
	if err := u.state.checkNotRunning(); err != nil {
		return nil, err
	}
	if u.keys, err = u.state.keys(); err != nil {
		return nil, err
	}
	ln, err := listenRouter(u.opts.addr)
	if err != nil {
		return nil, err
	}
	if err := u.assignAddresses(ln); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

func (u *upRun) assignAddresses(ln net.Listener) error {
	hostname, err := routerHostname(u.opts.addr, ln.Addr())
	if err != nil {
		return err
	}
	u.hostname, u.url = hostname, "http://"+hostname
	return pickPorts(u.app.processes())
}

// listenRouter listens on addr. When another program already listens there, the error names
// the fix.
func listenRouter(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("--addr %s is already in use: stop the program that listens "+
			"there, or choose another address with --addr", addr)
	}
	if err != nil {
		return nil, fmt.Errorf("listen on --addr %s: %w", addr, err)
	}
	return ln, nil
}

// pickPorts gives each Micro a free loopback port. It holds every port open until all are
// chosen, so two Micros never get the same one.
func pickPorts(micros []*microPlan) error {
	var listeners []net.Listener
	defer func() {
		for _, ln := range listeners {
			ln.Close()
		}
	}()
	for _, m := range micros {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("find a free port for Micro %q: %w", m.name(), err)
		}
		listeners = append(listeners, ln)
		m.port = ln.Addr().(*net.TCPAddr).Port
	}
	return nil
}

func (u *upRun) newSupervisor(force <-chan struct{}) (*supervisor, error) {
	names := make([]string, 0, len(u.app.micros))
	env := make(map[string][]string)
	src := envSource{hostname: u.hostname, keys: u.keys, session: u.sessionConfig(),
		shell: os.LookupEnv}
	for _, m := range u.app.micros {
		names = append(names, m.name())
		vars, err := microEnv(m, src)
		if err != nil {
			return nil, err
		}
		env[m.name()] = processEnv(os.Environ(), vars)
		u.warnUnsetPresets(m, src)
	}
	color := false
	if f, ok := u.std.out.(*os.File); ok {
		color = isTerminal(f)
	}
	return newSupervisor(supervisorOptions{
		logger:       u.logger,
		console:      newConsole(u.std.out, color, names),
		policy:       u.crashPolicy(),
		grace:        u.opts.stopTimeout,
		startTimeout: u.opts.startTimeout,
		force:        force,
	}, u.app.processes(), env), nil
}

func (u *upRun) warnUnsetPresets(m *microPlan, src envSource) {
	for _, preset := range m.spec.Presets.Env {
		if _, ok := presetValue(preset.Name, preset.Default, src.shell); !ok {
			u.logger.Warn("preset has no value: set it in the shell that runs spacedev",
				"micro", m.name(), "preset", preset.Name)
		}
	}
}

func (u *upRun) crashPolicy() crashPolicy {
	return crashPolicy{
		restart:     u.opts.onCrash == onCrashRestart,
		maxRestarts: u.opts.maxRestarts,
		backoffMin:  500 * time.Millisecond,
		backoffMax:  30 * time.Second,
		stableAfter: time.Minute,
	}
}

// serve serves the app until ctx ends or a Micro's crash stops it, then stops everything.
func (u *upRun) serve(ctx context.Context, ln net.Listener, handler http.Handler,
	sup *supervisor) error {
	server := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(u.logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- server.Serve(ln) }()

	schedCtx, stopSchedules := context.WithCancel(context.Background())
	schedulesDone := u.startSchedules(schedCtx)
	err := u.announce(sup)
	if err == nil {
		err = u.waitForStop(ctx, sup, served)
	}

	stopSchedules()
	u.shutdownServer(server)
	sup.stopAll()
	<-schedulesDone
	if rmErr := u.state.removeRun(); rmErr != nil {
		u.logger.Warn("could not remove run state", "error", rmErr)
	}
	u.logger.Info("app stopped")
	return err
}

// announce records the running router for "spacedev trigger" and prints the app's URLs.
func (u *upRun) announce(sup *supervisor) error {
	ports := make(map[string]int)
	for _, m := range u.app.processes() {
		ports[m.name()] = m.port
	}
	info := runInfo{PID: os.Getpid(), Addr: u.hostname, URL: u.url, Ports: ports,
		NoAuth: u.opts.noAuth}
	if err := u.state.writeRun(info); err != nil {
		return err
	}
	u.logger.Info("app serving", "url", u.url, "micros", len(u.app.micros),
		"auth", !u.opts.noAuth)

	fmt.Fprintf(u.std.out, "spacedev: the app runs at %s\n", u.url)
	if u.opts.noAuth {
		fmt.Fprintln(u.std.out, "spacedev: authentication is off (--no-auth): every route is public")
		return nil
	}
	login, err := u.loginURL()
	if err != nil {
		return err
	}
	fmt.Fprintf(u.std.out, "spacedev: log in as the owner with this one-time URL, valid for %d "+
		"minutes (%q prints another):\n  %s\n", int(loginTokenTTL.Minutes()),
		u.loginCommand, login)
	return nil
}

// loginURL returns a new one-time login URL for the owner.
func (u *upRun) loginURL() (string, error) {
	token, err := u.sessions.NewLoginToken(ownerSubject)
	if err != nil {
		return "", fmt.Errorf("create login token: %w", err)
	}
	return u.url + router.LoginPath + "?token=" + url.QueryEscape(token), nil
}

func (u *upRun) waitForStop(ctx context.Context, sup *supervisor, served <-chan error) error {
	select {
	case <-ctx.Done():
		return nil
	case err := <-sup.Fatal():
		return err
	case err := <-served:
		u.logger.Error("router stopped serving", "error", err)
		return fmt.Errorf("serve the app on %s: %w", u.url, err)
	}
}

func (u *upRun) shutdownServer(server *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := server.Shutdown(ctx); err != nil {
		u.logger.Warn("requests still in flight at shutdown were cut off", "error", err)
		server.Close()
	}
}

// watchSignals returns a context that ends on the first SIGINT or SIGTERM, and a channel that
// closes on the second, which makes the stop kill the Micros without waiting. stop releases
// the signals.
func watchSignals(parent context.Context,
	logger *slog.Logger) (ctx context.Context, force <-chan struct{}, stop func()) {
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(parent)
	forceCh, done := make(chan struct{}), make(chan struct{})

	go func() {
		select {
		case sig := <-signals:
			logger.Info("stopping the app", "signal", sig.String())
			cancel()
		case <-done:
			return
		}
		select {
		case sig := <-signals:
			logger.Warn("second signal: killing the Micros now", "signal", sig.String())
			close(forceCh)
		case <-done:
		}
	}()
	return ctx, forceCh, func() {
		signal.Stop(signals)
		close(done)
		cancel()
	}
}
