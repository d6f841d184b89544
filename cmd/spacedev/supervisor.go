package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"
)

// Values of the --on-crash flag.
const (
	onCrashRestart = "restart"
	onCrashStop    = "stop"
)

// listenPollInterval is how often spacedev tries to connect to a Micro that is starting.
const listenPollInterval = 50 * time.Millisecond

// crashPolicy is the reaction to a Micro's command that exits while the app runs.
type crashPolicy struct {
	restart     bool          // restart the Micro; false stops the app
	maxRestarts int           // restarts in a row; the crash after them stops the app
	backoffMin  time.Duration // wait before the first restart, doubled after each crash
	backoffMax  time.Duration
	stableAfter time.Duration // a run this long resets the count and the wait
}

// supervisorOptions configures a [supervisor].
type supervisorOptions struct {
	logger       *slog.Logger
	console      *console
	policy       crashPolicy
	grace        time.Duration // from SIGTERM to SIGKILL when stopping a Micro
	startTimeout time.Duration // for a Micro to listen on its port
	force        <-chan struct{}
}

// supervisor starts the Micros' processes, restarts or reports those that crash, and stops
// them all. Call startAll once and then stopAll once. Fatal may be read at any time.
type supervisor struct {
	supervisorOptions
	micros []*supervised
	fatal  chan error // a crash that stops the app

	watchers sync.WaitGroup
	cancel   context.CancelFunc
}

// supervised is one Micro under the supervisor, with the process now running.
type supervised struct {
	plan *microPlan
	env  []string

	mu      sync.Mutex
	proc    *process
	stopped bool
}

func newSupervisor(opts supervisorOptions, micros []*microPlan,
	env map[string][]string) *supervisor {
	s := &supervisor{supervisorOptions: opts, fatal: make(chan error, len(micros))}
	for _, m := range micros {
		s.micros = append(s.micros, &supervised{plan: m, env: env[m.name()]})
	}
	return s
}

// Fatal returns the channel that receives the error of a crash that stops the app.
func (s *supervisor) Fatal() <-chan error { return s.fatal }

// startAll starts every Micro and waits until each listens on its port. When one does not, it
// stops them all and returns an error that names each Micro that failed.
func (s *supervisor) startAll(ctx context.Context) error {
	watchCtx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	for _, m := range s.micros {
		if _, err := s.start(m); err != nil {
			s.stopAll()
			return err
		}
	}
	if err := s.waitAllListening(ctx); err != nil {
		s.stopAll()
		return err
	}
	for _, m := range s.micros {
		s.watchers.Add(1)
		go s.watch(watchCtx, m)
	}
	return nil
}

// start starts m's command, unless the supervisor is stopping.
func (s *supervisor) start(m *supervised) (*process, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stopped {
		return nil, errors.New("stopping")
	}
	s.logger.Info("micro starting", "micro", m.plan.name(), "command", m.plan.command,
		"field", m.plan.field, "dir", m.plan.srcDir, "port", m.plan.port)
	p, err := startProcess(m.plan, m.env, s.console)
	if err != nil {
		s.logger.Error("micro failed to start", "micro", m.plan.name(), "error", err)
		return nil, err
	}
	s.logger.Info("micro started", "micro", m.plan.name(), "pid", p.pid)
	m.proc = p
	return p, nil
}

func (m *supervised) current() *process {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.proc
}

func (m *supervised) isStopped() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stopped
}

// waitAllListening waits until every Micro listens. The first Micro that fails ends the wait
// for the others, so a typo does not wait for a slow compile.
func (s *supervisor) waitAllListening(ctx context.Context) error {
	waitCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(s.micros))
	var wg sync.WaitGroup
	for i, m := range s.micros {
		wg.Go(func() {
			errs[i] = s.waitListening(waitCtx, m, m.current())
			if errs[i] != nil {
				cancel()
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	var failed []error
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			failed = append(failed, err)
		}
	}
	return errors.Join(failed...)
}

// waitListening waits until m accepts connections on its port, its process p exits, or the
// start timeout passes.
func (s *supervisor) waitListening(ctx context.Context, m *supervised, p *process) error {
	started := time.Now()
	deadline := time.NewTimer(s.startTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(listenPollInterval)
	defer tick.Stop()

	for !listening(m.plan.port) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-p.exited:
			p.cleanUp(s.grace, s.force)
			return s.startFailed(m, p, "exited before it listened: "+describeExit(p.state))
		case <-deadline.C:
			return s.startFailed(m, p, fmt.Sprintf("did not listen on port %d within %s "+
				"(--start-timeout)", m.plan.port, s.startTimeout))
		case <-tick.C:
		}
	}
	s.logger.Info("micro listening", "micro", m.plan.name(), "port", m.plan.port,
		"after", time.Since(started).Round(time.Millisecond))
	return nil
}

func (s *supervisor) startFailed(m *supervised, p *process, reason string) error {
	err := &startError{micro: m.plan.name(), field: m.plan.field, reason: reason,
		output: p.tail.String()}
	s.logger.Error("micro failed to start", "micro", m.plan.name(), "pid", p.pid,
		"reason", reason)
	return err
}

// listening reports whether a Micro accepts connections on 127.0.0.1:port.
//
// NOTE: a Micro that listens on ::1 alone is never found, because spacedev reaches Micros over
// IPv4 loopback only.
func listening(port int) bool {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	conn, err := net.DialTimeout("tcp", addr, 250*time.Millisecond)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

// startError reports a Micro that did not come up, with its last lines of output.
type startError struct {
	micro  string
	field  string // the Spacefile command that ran: "dev" or "run"
	reason string
	output string
}

func (e *startError) Error() string {
	return fmt.Sprintf("Micro %q (%s command) %s\n  last output:\n%s", e.micro, e.field,
		e.reason, e.output)
}

// watch handles the crashes of m until ctx ends. It restarts m as the policy allows, or
// reports a fatal error that stops the app.
func (s *supervisor) watch(ctx context.Context, m *supervised) {
	defer s.watchers.Done()
	restarts := &backoff{policy: s.policy}
	for {
		p := m.current()
		select {
		case <-ctx.Done():
			return
		case <-p.exited:
		}
		if ctx.Err() != nil || m.isStopped() {
			return
		}
		if !s.handleCrash(ctx, m, p, restarts) {
			return
		}
	}
}

// handleCrash reports p's crash and restarts m. It returns false when m is not restarted.
func (s *supervisor) handleCrash(ctx context.Context, m *supervised, p *process,
	restarts *backoff) bool {
	p.cleanUp(s.grace, s.force)
	name, exit := m.plan.name(), describeExit(p.state)
	s.logger.Error("micro crashed", "micro", name, "pid", p.pid, "exit", exit, "ran", p.ran())

	if !s.policy.restart {
		s.fail(fmt.Errorf("Micro %q crashed (%s) and --on-crash=stop stops the app\n"+
			"  last output:\n%s", name, exit, p.tail))
		return false
	}
	delay, ok := restarts.next(p.ran())
	if !ok {
		s.fail(fmt.Errorf("Micro %q crashed (%s) more than --max-restarts=%d times in a "+
			"row: stopping the app\n  last output:\n%s", name, exit, s.policy.maxRestarts,
			p.tail))
		return false
	}
	s.logger.Warn("micro restarting", "micro", name, "restart", restarts.crashes,
		"delay", delay)
	return s.restart(ctx, m, delay)
}

// restart starts m again after delay and waits until it listens. A new process that exits
// is left for the next turn of [supervisor.watch].
func (s *supervisor) restart(ctx context.Context, m *supervised, delay time.Duration) bool {
	timer := time.NewTimer(delay)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
	}

	p, err := s.start(m)
	if err != nil {
		if !m.isStopped() {
			s.fail(err)
		}
		return false
	}
	if err := s.waitListening(ctx, m, p); err != nil && ctx.Err() == nil {
		s.logger.Warn("micro restarted but is not listening", "micro", m.plan.name(),
			"error", err)
	}
	return true
}

func (s *supervisor) fail(err error) {
	select {
	case s.fatal <- err:
	default:
	}
}

// stopAll stops every Micro's process group in parallel and waits for them.
func (s *supervisor) stopAll() {
	if s.cancel != nil {
		s.cancel()
	}
	var wg sync.WaitGroup
	for _, m := range s.micros {
		m.mu.Lock()
		m.stopped = true
		p := m.proc
		m.mu.Unlock()
		if p != nil {
			wg.Go(func() { s.stopProcess(m, p) })
		}
	}
	wg.Wait()
	s.watchers.Wait()
}

func (s *supervisor) stopProcess(m *supervised, p *process) {
	s.logger.Info("micro stopping", "micro", m.plan.name(), "pid", p.pid)
	if p.stop(s.grace, s.force) {
		s.logger.Warn("micro's processes outlived SIGTERM and got SIGKILL", "micro",
			m.plan.name(), "pid", p.pid, "stop_timeout", s.grace)
	}
	s.logger.Info("micro stopped", "micro", m.plan.name(), "pid", p.pid,
		"exit", describeExit(p.state))
}

// backoff counts a Micro's crashes in a row and returns the wait before each restart.
type backoff struct {
	policy  crashPolicy
	crashes int
}

// next returns the wait before the next restart of a process that ran for ran, or false when
// the policy's restarts are used up. A run of policy.stableAfter or longer starts the count
// again.
func (b *backoff) next(ran time.Duration) (time.Duration, bool) {
	if ran >= b.policy.stableAfter {
		b.crashes = 0
	}
	b.crashes++
	if b.crashes > b.policy.maxRestarts {
		return 0, false
	}
	delay := b.policy.backoffMin << (b.crashes - 1)
	if delay > b.policy.backoffMax || delay <= 0 {
		delay = b.policy.backoffMax
	}
	return delay, true
}
