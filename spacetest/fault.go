package spacetest

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// faults are the failures injected into one Micro's requests.
type faults struct {
	mu         sync.Mutex
	failCount  int
	failStatus int
	retryAfter time.Duration
	dropCount  int
	latency    time.Duration
}

// apply delays the request by the latency, then responds with the next injected fault, if
// any. It reports whether the request has ended, so the Micro's handler must not run. A drop
// panics with [http.ErrAbortHandler], which closes the connection.
func (f *faults) apply(w http.ResponseWriter, r *http.Request) bool {
	latency, drop, status, retryAfter := f.next()
	if latency > 0 && !sleep(r, latency) {
		return true
	}
	if drop {
		panic(http.ErrAbortHandler)
	}
	if status == 0 {
		return false
	}
	writeFault(w, status, retryAfter)
	return true
}

// next takes the faults for one request: drops are used up before failures.
func (f *faults) next() (latency time.Duration, drop bool, status int, retryAfter time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.dropCount > 0:
		f.dropCount--
		drop = true
	case f.failCount > 0:
		f.failCount--
		status, retryAfter = f.failStatus, f.retryAfter
	}
	return f.latency, drop, status, retryAfter
}

// sleep waits for d, or until the request's context ends, and reports whether d passed.
func sleep(r *http.Request, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// writeFault responds with status and a JSON body that names the fault. When retryAfter is
// positive, it also sets Retry-After in whole seconds, rounded up.
func writeFault(w http.ResponseWriter, status int, retryAfter time.Duration) {
	body, _ := json.Marshal(map[string]string{
		"error":   "injected_fault",
		"message": strconv.Itoa(status) + " " + http.StatusText(status) + " injected by spacetest",
	})
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(retryAfter.Seconds()))))
	}
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// FailNext makes the next n requests that reach the Micro called micro get status instead of
// reaching its handler, with a Retry-After header of retryAfter, rounded up to whole seconds,
// when retryAfter is positive. n = 0 cancels the failures still pending. Requests that
// authentication rejects do not count. status must be from 200 to 599, n and retryAfter 0 or
// more; anything else fails the test, as does an unknown Micro.
func (a *App) FailNext(micro string, n, status int, retryAfter time.Duration) {
	a.t.Helper()
	m := a.micro("FailNext", micro)
	if n < 0 || status < 200 || status > 599 || retryAfter < 0 {
		a.t.Fatalf("spacetest: App.FailNext(%q, %d, %d, %v): n must be 0 or more, status "+
			"from 200 to 599, retryAfter 0 or more", micro, n, status, retryAfter)
	}
	m.faults.mu.Lock()
	defer m.faults.mu.Unlock()
	m.faults.failCount, m.faults.failStatus, m.faults.retryAfter = n, status, retryAfter
}

// DropNext makes the next n requests that reach the Micro called micro end with the
// connection closed before any response, as when the Micro crashes. In process, the client's
// request fails with an error that wraps io.ErrUnexpectedEOF. Through the loopback server the
// connection closes. net/http's transport then retries an idempotent request once if the
// connection had served a request before, so such a client may not see a single drop. Drops
// are used up before the failures of FailNext. n = 0 cancels the drops still pending; a
// negative n fails the test, as does an unknown Micro.
func (a *App) DropNext(micro string, n int) {
	a.t.Helper()
	m := a.micro("DropNext", micro)
	if n < 0 {
		a.t.Fatalf("spacetest: App.DropNext(%q, %d): n must be 0 or more", micro, n)
	}
	m.faults.mu.Lock()
	defer m.faults.mu.Unlock()
	m.faults.dropCount = n
}

// SetLatency delays every request that reaches the Micro called micro by d before its handler
// or fault runs, until it is set again; 0 removes the delay. The delay ends early when the
// request's context ends, as at the request timeout, which then responds with 504. In a
// [testing/synctest] bubble the delay passes in the bubble's fake time when the App was
// created inside the bubble. A negative d fails the test, as does an unknown Micro.
func (a *App) SetLatency(micro string, d time.Duration) {
	a.t.Helper()
	m := a.micro("SetLatency", micro)
	if d < 0 {
		a.t.Fatalf("spacetest: App.SetLatency(%q, %v): d must be 0 or more", micro, d)
	}
	m.faults.mu.Lock()
	defer m.faults.mu.Unlock()
	m.faults.latency = d
}
