package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/internal/requestid"
	"github.com/spacekit/spacekit/spacetest"
)

const (
	soakCalls   = 2000
	soakWorkers = 32

	// soakSeed selects the faults. The same seed gives each attempt the same fault.
	soakSeed = 20260601

	soakAttemptTimeout = time.Second
	soakRetryMax       = 3

	// soakCallTimeout bounds one call, retries included: four attempts of at most 1 s and
	// three waits of at most 1 s fit well within it.
	soakCallTimeout = 15 * time.Second

	// soakItems is the number of distinct items that GET and PUT share, so calls contend.
	soakItems = 50
)

// callKind is one of the four kinds of call the soak mixes, in turn.
type callKind int

const (
	callGet callKind = iota
	callPut
	callKeyedPost
	callPost
	callKinds
)

var callNames = [callKinds]string{"GET (GetJSON)", "PUT (Do)",
	"POST with Idempotency-Key (Do)", "POST without key (PostJSON)"}

func kindOf(call int) callKind { return callKind(call % int(callKinds)) }

// Outcomes of a call. Every other outcome is a failure of the test.
const (
	outcomeOK       = "ok"
	outcomeTimeout  = "attempt timeout"
	outcomeClosed   = "connection closed"
	outcomeUntyped  = "untyped error"
	outcomeUnnamed  = "unnamed error"
	outcomeStatusAt = "status "
)

// soakRun sends the soak's calls and keeps each call's outcome.
type soakRun struct {
	c        *client.Client
	outcomes [soakCalls]string
	details  [soakCalls]string // the error, for outcomes that fail the test
}

func TestSoakFaults(t *testing.T) {
	api := newSoakAPI(soakSeed)
	app := spacetest.New(t,
		spacetest.Micro{Name: "web", Primary: true, Handler: http.NotFoundHandler()},
		spacetest.Micro{Name: "api", Handler: api.routes()},
	)
	port := portOf(t, app.Serve())
	conns := &connCounter{}
	logs := newLogCapture()
	c, err := client.New(app.Env("web"),
		client.WithHTTPClient(&http.Client{Transport: conns.transport()}),
		client.WithAttemptTimeout(soakAttemptTimeout),
		client.WithRetryMax(soakRetryMax),
		client.WithRetryWait(50*time.Millisecond, time.Second),
		client.WithLogger(logs.logger()))
	require.NoError(t, err)

	goroutines := goleak.IgnoreCurrent()
	serverBaseline, haveProc := serverConns(port)
	run := &soakRun{c: c}
	start := time.Now()
	run.sendAll(t.Context())
	elapsed := time.Since(start)

	run.checkOutcomes(t)
	checkExecutions(t, api)
	attempts := api.totalAttempts()
	assert.Len(t, app.Requests("api"), attempts, "requests that spacetest recorded")
	assert.Equal(t, attempts-soakCalls, logs.count("client: retrying request"),
		"every request after a call's first is a retry that the client logs")
	assert.NotContains(t, logs.String(), app.Env("web").APIKey.Reveal())

	c.CloseIdleConnections()
	assert.True(t, waitFor(5*time.Second, func() bool { return conns.open() == 0 }),
		"the client still has %d connections open", conns.open())
	if haveProc {
		assert.True(t, waitFor(5*time.Second, func() bool {
			n, _ := serverConns(port)
			return n == serverBaseline
		}), "the loopback server still has connections open")
	}
	goleak.VerifyNone(t, goroutines)

	t.Log(run.report(api, logs, elapsed, conns.opened.Load()))
}

// sendAll sends soakCalls calls from soakWorkers goroutines, each taking the next call number.
func (s *soakRun) sendAll(ctx context.Context) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range soakWorkers {
		wg.Go(func() {
			for {
				call := int(next.Add(1)) - 1
				if call >= soakCalls {
					return
				}
				s.outcomes[call], s.details[call] = s.send(ctx, call)
			}
		})
	}
	wg.Wait()
}

// send makes one call. The call number travels in X-Request-ID, which the client sends on
// from the context on every attempt, and in the body of PUT and POST.
func (s *soakRun) send(ctx context.Context, call int) (outcome, detail string) {
	ctx, cancel := context.WithTimeout(requestid.NewContext(ctx, strconv.Itoa(call)),
		soakCallTimeout)
	defer cancel()
	item := "/api/items/" + strconv.Itoa(call%soakItems)
	body := soakBody{Call: call, Value: call}
	var out soakBody
	switch kindOf(call) {
	case callGet:
		return nameError(s.c.GetJSON(ctx, item, &out), true)
	case callPut:
		return s.do(ctx, http.MethodPut, item, body, "")
	case callKeyedPost:
		return s.do(ctx, http.MethodPost, "/api/orders", body, "order-"+strconv.Itoa(call))
	default:
		return nameError(s.c.PostJSON(ctx, "/api/orders", body, &out), true)
	}
}

// do sends a request with a replayable JSON body through Client.Do and reads the response.
func (s *soakRun) do(ctx context.Context, method, path string, in soakBody,
	idempotencyKey string) (outcome, detail string) {
	req, err := s.c.NewRequest(ctx, method, path, bytes.NewReader(mustJSON(in)))
	if err != nil {
		return outcomeUnnamed, err.Error()
	}
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	resp, err := s.c.Do(req)
	if err != nil {
		return nameError(err, true)
	}
	defer resp.Body.Close()
	var out soakBody
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nameError(err, false)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return outcomeStatusAt + strconv.Itoa(resp.StatusCode), ""
	}
	return outcomeOK, ""
}

// nameError returns the outcome that err stands for. An error from one of the Client's
// methods (fromClient) must be a *client.Error; an error from reading a response body is a
// transport error. Both must wrap a cause that the test can name.
func nameError(err error, fromClient bool) (outcome, detail string) {
	if err == nil {
		return outcomeOK, ""
	}
	var ce *client.Error
	isClientError := errors.As(err, &ce)
	switch {
	case fromClient && !isClientError:
		return outcomeUntyped, fmt.Sprintf("%T: %v", err, err)
	case isClientError && ce.Err == nil:
		return outcomeStatusAt + strconv.Itoa(ce.StatusCode), ""
	case errors.Is(err, context.DeadlineExceeded):
		return outcomeTimeout, ""
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return outcomeClosed, ""
	}
	return outcomeUnnamed, fmt.Sprintf("%T: %v", err, err)
}

// checkOutcomes requires that every call succeeded or failed with a named, typed error, and
// that only the faults the soak injects caused failures.
func (s *soakRun) checkOutcomes(t *testing.T) {
	t.Helper()
	for call, outcome := range s.outcomes {
		switch {
		case outcome == outcomeOK, outcome == outcomeTimeout, outcome == outcomeClosed,
			outcome == outcomeStatusAt+"503", outcome == outcomeStatusAt+"429":
		default:
			t.Errorf("call %d, %s: %s: %s", call, callNames[kindOf(call)], outcome,
				s.details[call])
		}
	}
}

// checkExecutions requires that no POST ran its side effect twice, and that a POST without
// an Idempotency-Key was sent once.
func checkExecutions(t *testing.T, api *soakAPI) {
	t.Helper()
	for call := range soakCalls {
		kind := kindOf(call)
		if kind != callKeyedPost && kind != callPost {
			continue
		}
		if n := api.executionsOf(call); n > 1 {
			t.Errorf("call %d, %s: executed %d times", call, callNames[kind], n)
		}
		api.mu.Lock()
		sent := api.attempts[strconv.Itoa(call)]
		api.mu.Unlock()
		if kind == callPost && sent != 1 {
			t.Errorf("call %d, %s: sent %d times", call, callNames[kind], sent)
		}
	}
}

// report returns the soak's counts, for RELIABILITY.md.
func (s *soakRun) report(api *soakAPI, logs *logCapture, elapsed time.Duration,
	dialed int64) string {
	var b strings.Builder
	attempts := api.totalAttempts()
	fmt.Fprintf(&b, "soak: %d calls from %d goroutines in %v, seed %d\n", soakCalls,
		soakWorkers, elapsed.Round(100*time.Millisecond), soakSeed)
	fmt.Fprintf(&b, "requests that reached the api Micro: %d; retries: %d; "+
		"POSTs not retried: %d; connections opened: %d\n", attempts, attempts-soakCalls,
		logs.count("client: request not retried"), dialed)
	b.WriteString("faults:")
	faulted := int64(0)
	for kind := faultUnavailable; kind < faultKinds; kind++ {
		n := api.faults[kind].Load()
		faulted += n
		fmt.Fprintf(&b, " %s %d;", faultNames[kind], n)
	}
	fmt.Fprintf(&b, " total %d of %d requests (%.1f%%)\n", faulted, attempts,
		100*float64(faulted)/float64(attempts))
	for kind := range callKinds {
		fmt.Fprintf(&b, "%s: %s\n", callNames[kind], s.tally(kind))
	}
	return b.String()
}

// tally returns the outcomes of the calls of one kind, such as "ok 441, status 503 12".
func (s *soakRun) tally(kind callKind) string {
	counts := map[string]int{}
	for call, outcome := range s.outcomes {
		if kindOf(call) == kind {
			counts[outcome]++
		}
	}
	names := make([]string, 0, len(counts))
	for name := range counts {
		names = append(names, name)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = fmt.Sprintf("%s %d", name, counts[name])
	}
	return strings.Join(parts, ", ")
}

// portOf returns the port of a loopback server's URL.
func portOf(t *testing.T, rawURL string) int {
	t.Helper()
	u, err := url.Parse(rawURL)
	require.NoError(t, err)
	_, portText, err := net.SplitHostPort(u.Host)
	require.NoError(t, err)
	port, err := strconv.Atoi(portText)
	require.NoError(t, err)
	return port
}
