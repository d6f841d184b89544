package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/spacefile"
)

// triggerLog records when each action was triggered, and responds with status.
type triggerLog struct {
	mu     sync.Mutex
	runs   map[string][]time.Time
	status int
	err    error
}

func (l *triggerLog) trigger(_ context.Context, id string) (*http.Response, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.runs == nil {
		l.runs = map[string][]time.Time{}
	}
	l.runs[id] = append(l.runs[id], time.Now())
	if l.err != nil {
		return nil, l.err
	}
	return &http.Response{StatusCode: l.status, Body: io.NopCloser(strings.NewReader("{}"))}, nil
}

func (l *triggerLog) times(id string) []time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.runs[id]
}

func mustInterval(t *testing.T, text string) spacefile.Interval {
	t.Helper()
	interval, err := spacefile.ParseInterval(text)
	require.NoError(t, err)
	return interval
}

// runScheduler runs s for d of fake time and stops it.
func runScheduler(s *scheduler, d time.Duration) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.run(ctx)
		close(done)
	}()
	time.Sleep(d)
	cancel()
	<-done
}

// after returns start plus each offset.
func after(start time.Time, offsets ...time.Duration) []time.Time {
	out := make([]time.Time, len(offsets))
	for i, d := range offsets {
		out[i] = start.Add(d)
	}
	return out
}

func TestSchedulerRunsRateAndCron(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now() // the bubble starts at midnight UTC, a cron boundary
		log := &triggerLog{status: 200}
		s := &scheduler{
			actions: []scheduledAction{
				{id: "tick", micro: "worker", interval: mustInterval(t, "1 minute")},
				{id: "sweep", micro: "worker", interval: mustInterval(t, "*/5 * * * *")},
			},
			trigger: log.trigger,
			clock:   newScheduleClock(1),
			logger:  slog.New(slog.DiscardHandler),
		}
		runScheduler(s, 11*time.Minute+30*time.Second)

		m := time.Minute
		assert.Equal(t, after(start, m, 2*m, 3*m, 4*m, 5*m, 6*m, 7*m, 8*m, 9*m, 10*m, 11*m),
			log.times("tick"))
		assert.Equal(t, after(start, 5*m, 10*m), log.times("sweep"))
	})
}

func TestSchedulerSpeed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		log := &triggerLog{status: 200}
		s := &scheduler{
			actions: []scheduledAction{
				{id: "tick", interval: mustInterval(t, "1 minute")},
				{id: "sweep", interval: mustInterval(t, "*/5 * * * *")},
			},
			trigger: log.trigger,
			clock:   newScheduleClock(60),
			logger:  slog.New(slog.DiscardHandler),
		}
		runScheduler(s, 10*time.Second+500*time.Millisecond)

		s1 := time.Second
		assert.Equal(t, after(start, s1, 2*s1, 3*s1, 4*s1, 5*s1, 6*s1, 7*s1, 8*s1, 9*s1, 10*s1),
			log.times("tick"), "at speed 60 a minute passes in a second")
		assert.Equal(t, after(start, 5*s1, 10*s1), log.times("sweep"))
	})
}

func TestSchedulerLogsFailures(t *testing.T) {
	tests := []struct {
		name   string
		log    *triggerLog
		level  string
		expect string
	}{
		{"error status", &triggerLog{status: 500}, "WARN",
			`msg="scheduled action returned an error status" action=tick micro=worker`},
		{"trigger error", &triggerLog{err: errors.New("handler panicked")}, "ERROR",
			`msg="scheduled action failed" action=tick micro=worker`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var buf bytes.Buffer
				s := &scheduler{
					actions: []scheduledAction{{id: "tick", micro: "worker",
						interval: mustInterval(t, "1 minute")}},
					trigger: tt.log.trigger,
					clock:   newScheduleClock(1),
					logger:  slog.New(slog.NewTextHandler(&buf, nil)),
				}
				runScheduler(s, 2*time.Minute+time.Second)

				assert.Len(t, tt.log.times("tick"), 2, "a failure does not stop the schedule")
				lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
				require.Len(t, lines, 2)
				for _, line := range lines {
					assert.Contains(t, line, "level="+tt.level)
					assert.Contains(t, line, tt.expect)
				}
			})
		})
	}
}

func TestSchedulerZeroIntervalNeverRuns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var buf bytes.Buffer
		log := &triggerLog{status: 200}
		s := &scheduler{
			actions: []scheduledAction{{id: "never", interval: spacefile.Interval{}}},
			trigger: log.trigger,
			clock:   newScheduleClock(1),
			logger:  slog.New(slog.NewTextHandler(&buf, nil)),
		}
		runScheduler(s, time.Hour)
		assert.Empty(t, log.times("never"))
		assert.Contains(t, buf.String(), `msg="action has no next run: it will not run"`)
	})
}
