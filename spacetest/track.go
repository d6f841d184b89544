package spacetest

import (
	"sync"
	"time"
)

// cleanupWait is how long the cleanup waits for handlers to return after it canceled their
// contexts. Handlers that honour their context return at once, so the wait only matters for
// one that does not, which the cleanup then reports.
const cleanupWait = 10 * time.Second

// tracker counts the goroutines that serve an App's requests, in process and on the loopback
// server, so that the cleanup can end them and wait for them.
type tracker struct {
	mu        sync.Mutex
	closed    bool
	running   sync.WaitGroup
	exchanges map[*response]struct{} // in-process requests under way
}

// start registers an in-process exchange. It returns false once the App is closed.
func (tr *tracker) start(rw *response) bool {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.closed {
		return false
	}
	tr.running.Add(1)
	if tr.exchanges == nil {
		tr.exchanges = make(map[*response]struct{})
	}
	tr.exchanges[rw] = struct{}{}
	return true
}

func (tr *tracker) done(rw *response) {
	tr.mu.Lock()
	delete(tr.exchanges, rw)
	tr.mu.Unlock()
	tr.running.Done()
}

// enter registers a handler that starts; it returns false once the App is closed.
func (tr *tracker) enter() bool {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.closed {
		return false
	}
	tr.running.Add(1)
	return true
}

func (tr *tracker) leave() { tr.running.Done() }

// close stops new requests, abandons the in-process exchanges under way and waits up to
// cleanupWait for every goroutine to return. It reports whether they all did.
func (tr *tracker) close() bool {
	tr.mu.Lock()
	tr.closed = true
	for rw := range tr.exchanges {
		rw.abandon(errAppClosed)
	}
	tr.mu.Unlock()
	done := make(chan struct{})
	go func() {
		tr.running.Wait()
		close(done)
	}()
	timer := time.NewTimer(cleanupWait)
	defer timer.Stop()
	select {
	case <-done:
		return true
	case <-timer.C:
		return false
	}
}
