package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// actionTimeout bounds one scheduled run. The router's request timeout, 20 s by default, ends
// a slow run first, so this bound only guards against a handler that ignores its context.
const actionTimeout = 30 * time.Second

// triggerFunc fires an action and returns the Micro's response, as [router.Router.Trigger]
// does. The caller closes the body.
type triggerFunc func(ctx context.Context, actionID string) (*http.Response, error)

// scheduleClock is the scheduler's time. With speed 1 it is the real time. A speed of
// n makes schedule time pass n times faster from the moment the clock was made, so a
// "1 minute" rate runs every 60/n seconds while the intervals are computed as usual.
type scheduleClock struct {
	start time.Time
	speed int
}

func newScheduleClock(speed int) scheduleClock {
	return scheduleClock{start: time.Now(), speed: max(speed, 1)}
}

func (c scheduleClock) now() time.Time {
	elapsed := time.Since(c.start)
	return c.start.Add(elapsed * time.Duration(c.speed))
}

// wait returns how long to wait in real time until schedule time t.
func (c scheduleClock) wait(t time.Time) time.Duration {
	return max(t.Sub(c.now())/time.Duration(c.speed), 0)
}

// scheduler runs each action whenever its interval is due. Runs of one action never overlap:
// a run that takes longer than the interval delays the next one.
type scheduler struct {
	actions []scheduledAction
	trigger triggerFunc
	clock   scheduleClock
	logger  *slog.Logger
}

// run runs the schedules until ctx ends, and waits for the runs in progress.
func (s *scheduler) run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, a := range s.actions {
		wg.Go(func() { s.loop(ctx, a) })
	}
	wg.Wait()
}

func (s *scheduler) loop(ctx context.Context, a scheduledAction) {
	for {
		due := a.interval.Next(s.clock.now())
		if due.IsZero() {
			s.logger.Error("action has no next run: it will not run", "action", a.id,
				"interval", a.interval.String())
			return
		}
		s.logger.Debug("action scheduled", "action", a.id, "micro", a.micro, "due", due)
		timer := time.NewTimer(s.clock.wait(due))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
		s.fire(ctx, a, due)
	}
}

// fire runs a once. The router logs each run with its status; fire logs the failures with the
// schedule time they belong to.
func (s *scheduler) fire(ctx context.Context, a scheduledAction, due time.Time) {
	runCtx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	resp, err := s.trigger(runCtx, a.id)
	if err != nil {
		if ctx.Err() == nil { // not a shutdown
			s.logger.Error("scheduled action failed", "action", a.id, "micro", a.micro,
				"due", due, "error", err)
		}
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxActionResponseBytes))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		s.logger.Warn("scheduled action returned an error status", "action", a.id,
			"micro", a.micro, "due", due, "status", resp.StatusCode)
	}
}

// startSchedules runs the app's scheduled actions until ctx ends. The returned channel closes
// when the last run has finished.
func (u *upRun) startSchedules(ctx context.Context) <-chan struct{} {
	s := &scheduler{
		actions: u.app.actions(),
		trigger: u.router.Trigger,
		clock:   newScheduleClock(u.opts.scheduleSpeed),
		logger:  u.logger,
	}
	if u.opts.scheduleSpeed > 1 {
		u.logger.Warn("schedule time passes faster than real time (--schedule-speed)",
			"speed", u.opts.scheduleSpeed)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.run(ctx)
	}()
	return done
}
