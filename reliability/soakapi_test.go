package reliability

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spacekit/spacekit/internal/requestid"
)

// faultKind is what the soak's api Micro does to one request.
type faultKind int

const (
	faultNone        faultKind = iota
	faultUnavailable           // 503 before any work
	faultRateLimited           // 429 with Retry-After: 1, before any work
	faultAbort                 // the work is done, then the connection closes mid-response
	faultDelay                 // the work is done, then the response waits faultDelayTime
	faultKinds
)

var faultNames = [faultKinds]string{"none", "503", "429 Retry-After", "closed mid-response",
	"2s delay"}

const (
	// faultRate is the share of requests that get a fault.
	faultRate = 0.3

	// faultDelayTime is the delay of faultDelay, twice the client's attempt timeout.
	faultDelayTime = 2 * time.Second
)

// soakAPI is the api Micro of the soak: items that GET reads and PUT writes, and orders that
// POST creates, deduplicated by Idempotency-Key. It picks each request's fault from the call
// number in X-Request-ID and the attempt number, so a run repeats whatever the scheduling.
// Executions are counted per call number from the request body, which is what a POST without
// a key must never repeat.
type soakAPI struct {
	seed uint64

	mu         sync.Mutex
	attempts   map[string]int    // requests seen per X-Request-ID
	executions map[int]int       // side effects per call number
	items      map[string]int    // item values, written by PUT
	orders     map[string][]byte // stored responses per Idempotency-Key

	faults [faultKinds]atomic.Int64
}

func newSoakAPI(seed uint64) *soakAPI {
	return &soakAPI{seed: seed, attempts: map[string]int{}, executions: map[int]int{},
		items: map[string]int{}, orders: map[string][]byte{}}
}

func (s *soakAPI) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", s.withFaults(s.getItem))
	mux.HandleFunc("PUT /items/{id}", s.withFaults(s.putItem))
	mux.HandleFunc("POST /orders", s.withFaults(s.postOrder))
	return mux
}

// soakBody is the JSON body of every request and response of the soak.
type soakBody struct {
	Call  int `json:"call"`
	Value int `json:"value"`
}

// work does a request's side effect, if any, and returns the response body.
type work func(r *http.Request) (status int, body []byte)

// withFaults applies the request's fault around do: a 503 or 429 replaces it, and an abort or
// a delay follows it.
func (s *soakAPI) withFaults(do work) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		kind := s.pick(r.Header.Get(requestid.Header))
		s.faults[kind].Add(1)
		switch kind {
		case faultUnavailable:
			writeSoakJSON(w, http.StatusServiceUnavailable, []byte(`{"error":"unavailable"}`))
			return
		case faultRateLimited:
			w.Header().Set("Retry-After", "1")
			writeSoakJSON(w, http.StatusTooManyRequests, []byte(`{"error":"rate_limited"}`))
			return
		}
		status, body := do(r)
		switch kind {
		case faultAbort:
			abortMidResponse(w, status, body)
		case faultDelay:
			if !waitOrDone(r, faultDelayTime) {
				return
			}
		}
		writeSoakJSON(w, status, body)
	}
}

// pick counts the request as the next attempt of its call and returns its fault.
func (s *soakAPI) pick(callID string) faultKind {
	s.mu.Lock()
	s.attempts[callID]++
	attempt := s.attempts[callID]
	s.mu.Unlock()

	call, _ := strconv.Atoi(callID)
	rng := rand.New(rand.NewPCG(s.seed, uint64(call)<<8|uint64(attempt)))
	if rng.Float64() >= faultRate {
		return faultNone
	}
	return faultKind(1 + rng.IntN(int(faultKinds)-1))
}

// abortMidResponse sends the status line, the header and half of the body, then closes the
// connection, as a server that crashes while it responds.
func abortMidResponse(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body[:len(body)/2])
	http.NewResponseController(w).Flush()
	panic(http.ErrAbortHandler)
}

// waitOrDone waits for d and reports whether it passed before the request's context ended.
func waitOrDone(r *http.Request, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

func writeSoakJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (s *soakAPI) getItem(r *http.Request) (int, []byte) {
	s.mu.Lock()
	value := s.items[r.PathValue("id")]
	s.mu.Unlock()
	return http.StatusOK, mustJSON(soakBody{Value: value})
}

func (s *soakAPI) putItem(r *http.Request) (int, []byte) {
	var in soakBody
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return http.StatusBadRequest, []byte(`{"error":"invalid_json"}`)
	}
	s.mu.Lock()
	s.items[r.PathValue("id")] = in.Value
	s.executions[in.Call]++
	s.mu.Unlock()
	return http.StatusOK, mustJSON(in)
}

// postOrder creates an order once per call, or once per Idempotency-Key when the request has
// one: a repeated key gets the stored response.
func (s *soakAPI) postOrder(r *http.Request) (int, []byte) {
	var in soakBody
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return http.StatusBadRequest, []byte(`{"error":"invalid_json"}`)
	}
	key := r.Header.Get("Idempotency-Key")
	s.mu.Lock()
	defer s.mu.Unlock()
	if stored, ok := s.orders[key]; ok && key != "" {
		return http.StatusCreated, stored
	}
	s.executions[in.Call]++
	out := mustJSON(soakBody{Call: in.Call, Value: s.executions[in.Call]})
	if key != "" {
		s.orders[key] = out
	}
	return http.StatusCreated, out
}

// executionsOf returns the number of side effects of the call.
func (s *soakAPI) executionsOf(call int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.executions[call]
}

// totalAttempts returns the number of requests that reached the handler.
func (s *soakAPI) totalAttempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	total := 0
	for _, n := range s.attempts {
		total += n
	}
	return total
}

func mustJSON(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return data
}
