package reliability

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
	"github.com/spacekit/spacekit/middleware"
)

// jsonBodyLimit is the router's body limit in the JSON cases.
const jsonBodyLimit = 1024

// itemStore is the api Micro of the JSON cases: POST /items stores an item once its whole
// body has decoded, so a partial body never writes anything.
type itemStore struct {
	mu       sync.Mutex
	items    []string
	requests int
}

type item struct {
	Name string `json:"name"`
}

func (s *itemStore) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /items", s.create)
	mux.HandleFunc("GET /not-json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "<html>not JSON</html>")
	})
	return mux
}

func (s *itemStore) create(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
	var in item
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":"invalid_json"}`)
		return
	}
	s.mu.Lock()
	s.items = append(s.items, in.Name)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(in)
}

// counts returns the requests that reached POST /items and the items stored.
func (s *itemStore) counts() (requests, items int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests, len(s.items)
}

// newJSONApp serves the item store as the api Micro behind the router, with a body limit of
// jsonBodyLimit and authentication, and returns a client with the app's key.
func newJSONApp(t *testing.T) (*client.Client, *itemStore) {
	t.Helper()
	store := &itemStore{}
	sessions, err := middleware.NewSessions(middleware.SessionOptions{
		Keys: [][]byte{newSessionKey}})
	require.NoError(t, err)
	r, err := router.New(router.Options{APIKey: badInputKey, Sessions: sessions,
		MaxBodyBytes: jsonBodyLimit, Micros: []router.Micro{
			{Name: "web", Primary: true, Handler: http.NotFoundHandler()},
			{Name: "api", Handler: store.routes()},
		}})
	require.NoError(t, err)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	cfg, err := envconfig.LoadFrom(mapLookup(map[string]string{
		envconfig.EnvHostname: srv.Listener.Addr().String(), envconfig.EnvAPIKey: badInputKey}))
	require.NoError(t, err)
	c, err := client.New(cfg, client.WithRetryMax(0))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c, store
}

func TestBadInputJSONBodies(t *testing.T) {
	t.Parallel()
	c, store := newJSONApp(t)
	big := strings.Repeat("x", 2*jsonBodyLimit)
	tests := []struct {
		name       string
		call       func() error
		wantStatus int    // the status in the *client.Error, or 0 when nothing was sent
		wantText   string // part of the error's message
		wantSent   int    // requests that reached POST /items
	}{
		{"valid body", func() error {
			return c.PostJSON(t.Context(), "/api/items", item{"a"}, &item{})
		}, 0, "", 1},
		{"body above the limit", func() error {
			return c.PostJSON(t.Context(), "/api/items", item{big}, &item{})
		}, 413, `"payload_too_large"`, 0},
		{"streamed body above the limit", func() error {
			return postStream(t, c, `{"name":"`+big+`"}`)
		}, 413, `"payload_too_large"`, 1},
		{"truncated JSON", func() error { return postRaw(t, c, `{"name":`) }, 400,
			`"invalid_json"`, 1},
		{"unknown field", func() error { return postRaw(t, c, `{"name":"a","admin":true}`) },
			400, `"invalid_json"`, 1},
		{"channel as input", func() error {
			return c.PostJSON(t.Context(), "/api/items", make(chan int), nil)
		}, 0, "client: PostJSON: encoding the request body", 0},
		{"infinity as input", func() error {
			return c.PostJSON(t.Context(), "/api/items", math.Inf(1), nil)
		}, 0, "client: PostJSON: encoding the request body", 0},
		{"invalid raw JSON as input", func() error {
			return c.PostJSON(t.Context(), "/api/items", json.RawMessage(`{"name":`), nil)
		}, 0, "client: PostJSON: encoding the request body", 0},
		{"output not a pointer", func() error {
			return c.PostJSON(t.Context(), "/api/items", item{"a"}, item{})
		}, 0, "client: PostJSON: out is reliability.item, not a non-nil pointer", 0},
		{"response not JSON", func() error {
			return c.GetJSON(t.Context(), "/api/not-json", &item{})
		}, 200, "decoding the JSON response body: invalid character '<'", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requestsBefore, itemsBefore := store.counts()
			err := tt.call()
			requests, items := store.counts()
			assert.Equal(t, tt.wantSent, requests-requestsBefore, "requests that reached the Micro")
			if tt.wantText == "" {
				require.NoError(t, err)
				assert.Equal(t, itemsBefore+1, items, "a valid body stores one item")
				return
			}
			require.Error(t, err)
			assert.Equal(t, itemsBefore, items, "a failed call stores nothing")
			assert.Contains(t, err.Error(), tt.wantText)
			assert.NotContains(t, err.Error(), badInputKey)
			var ce *client.Error
			var se *statusError
			switch {
			case tt.wantStatus == 0:
				assert.False(t, errors.As(err, &ce), "nothing was sent, so there is no status")
			case errors.As(err, &se):
				assert.Equal(t, tt.wantStatus, se.status)
			default:
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, tt.wantStatus, ce.StatusCode)
				assert.Equal(t, 1, ce.Attempts)
			}
		})
	}
}

// postRaw sends body as is, through NewRequest and Do, and returns a *statusError for a status
// outside 2xx.
func postRaw(t *testing.T, c *client.Client, body string) error {
	t.Helper()
	req, err := c.NewRequest(t.Context(), http.MethodPost, "/api/items", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	return doAndCheck(c, req)
}

// postStream sends body without a Content-Length, so the router can only find the body too
// large while the handler reads it.
func postStream(t *testing.T, c *client.Client, body string) error {
	t.Helper()
	req, err := c.NewRequest(t.Context(), http.MethodPost, "/api/items",
		io.MultiReader(strings.NewReader(body)))
	require.NoError(t, err)
	require.Equal(t, int64(0), req.ContentLength, "a plain io.Reader has no known length")
	return doAndCheck(c, req)
}

// doAndCheck sends req with Do, which returns a response whatever its status, and turns a
// status outside 2xx into a *statusError.
func doAndCheck(c *client.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil
	}
	return &statusError{status: resp.StatusCode, body: string(bytes.TrimSpace(body))}
}

// statusError is a response outside 2xx that Client.Do returned.
type statusError struct {
	status int
	body   string
}

func (e *statusError) Error() string {
	return http.StatusText(e.status) + ": " + e.body
}
