package reliability

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/client"
	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/internal/router"
	"github.com/spacekit/spacekit/middleware"
	"github.com/spacekit/spacekit/spacetest"
)

// exposure collects every text that a user could read (log lines, error strings, panic
// messages, recorded requests) and checks that no secret occurs in any of them.
type exposure struct {
	mu    sync.Mutex
	texts []string
}

// add records a text under a label that names where it came from.
func (e *exposure) add(label, text string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.texts = append(e.texts, label+": "+text)
}

// addError records err as its message and in the formats a caller might log it with.
func (e *exposure) addError(label string, err error) {
	if err == nil {
		return
	}
	e.add(label, err.Error())
	e.add(label+" %+v", fmt.Sprintf("%+v", err))
	e.add(label+" %#v", fmt.Sprintf("%#v", err))
}

// check fails the test for each text that contains one of the secrets.
func (e *exposure) check(t *testing.T, secrets map[string]string) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	for name, secret := range secrets {
		require.NotEmpty(t, secret, "secret %s", name)
		for _, text := range e.texts {
			if strings.Contains(text, secret) {
				t.Errorf("%s occurs in %.2000s", name, text)
			}
		}
	}
}

// keyForms returns the texts in which a binary key would show when printed: as a string, as
// fmt prints a []byte with %v and %x, and in base64.
func keyForms(key []byte) []string {
	decimal := strings.Trim(fmt.Sprint(key), "[]")
	return []string{string(key), decimal, hex.EncodeToString(key),
		base64.StdEncoding.EncodeToString(key)}
}

// secretsApp is a spacetest app whose Micros exercise every path on which a key could leak.
type secretsApp struct {
	app       *spacetest.App
	logs      *logCapture
	seen      *exposure
	elsewhere *httptest.Server // another origin, to which the api Micro redirects
	leaked    chan http.Header // the headers that reached the other origin
}

func newSecretsApp(t *testing.T) *secretsApp {
	s := &secretsApp{logs: newLogCapture(), seen: &exposure{}, leaked: make(chan http.Header, 8)}
	s.elsewhere = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		s.leaked <- r.Header.Clone()
		_, _ = io.WriteString(w, "elsewhere")
	}))
	t.Cleanup(s.elsewhere.Close)
	api := middleware.Chain(middleware.RequestID, middleware.Recover(s.logs.logger())).
		Then(s.apiRoutes())
	s.app = spacetest.NewWithOptions(t, spacetest.Options{
		Logger: s.logs.logger(), RequestTimeout: 300 * time.Millisecond, MaxBodyBytes: 1024,
	},
		spacetest.Micro{Name: "web", Primary: true, Handler: okHandler()},
		spacetest.Micro{Name: "api", Handler: api, AppKeys: true,
			PublicRoutes: []string{"/public/*"}, Actions: []string{"nightly"}},
	)
	return s
}

func okHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"ok":true}`)
	})
}

// apiRoutes returns the api Micro's handlers, each of which fails in a way that could carry
// the caller's key into an error or a log line.
func (s *secretsApp) apiRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/ok", okHandler())
	mux.Handle("/public/ok", okHandler())
	mux.Handle("POST /__space/v0/actions", okHandler())
	mux.HandleFunc("/echo-key", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, "the key you sent is "+r.Header.Get("X-API-Key"))
	})
	mux.HandleFunc("/panic", func(http.ResponseWriter, *http.Request) {
		panic("handler failed")
	})
	mux.HandleFunc("/panic-after-start", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
		http.NewResponseController(w).Flush()
		panic("handler failed after the response started")
	})
	mux.HandleFunc("/redirect-away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, s.elsewhere.URL+"/landing", http.StatusFound)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	return mux
}

func TestSecretsSpacetestFlows(t *testing.T) {
	t.Parallel()
	s := newSecretsApp(t)
	queryToken := "query-token-" + strings.Repeat("q7", 10)
	c := s.app.Client("web", client.WithLogger(s.logs.logger()),
		client.WithRetryWait(time.Millisecond, 5*time.Millisecond),
		client.WithAttemptTimeout(time.Second))

	s.clientFlows(t, c, queryToken)
	s.faultFlows(t, c)
	appKey := s.headerFlows(t)
	cookie, token := s.sessionFlows(t)
	s.app.Serve() // the in-process transport reaches the app's host only
	s.redirectFlow(t, s.app.Client("web", client.WithLogger(s.logs.logger())))

	for _, micro := range []string{"web", "api"} {
		requests := s.app.Requests(micro)
		require.NotEmpty(t, requests, micro)
		s.seen.add("Requests("+micro+") %+v", fmt.Sprintf("%+v", requests))
		dump, err := json.Marshal(requests)
		require.NoError(t, err)
		s.seen.add("Requests("+micro+") JSON", string(dump))
	}
	s.seen.add("logs", s.logs.String())
	s.seen.check(t, map[string]string{
		"DETA_API_KEY":   s.app.Env("web").APIKey.Reveal(),
		"app key":        appKey,
		"session cookie": cookie,
		"login token":    token,
	})

	// The query token reaches the Micro, which may record it; only the client's errors and
	// every log line must hide it.
	assert.NotContains(t, s.logs.String(), queryToken)
	assert.Contains(t, s.logs.String(), "client: retrying request", "the flows must log")
	assert.Contains(t, s.logs.String(), "handler panicked")
	assert.Contains(t, s.logs.String(), "request rejected")
}

// clientFlows calls the api Micro through the client: successes, a key in the query, a
// response that echoes the key, panics and a body above the limit.
func (s *secretsApp) clientFlows(t *testing.T, c *client.Client, queryToken string) {
	ctx := t.Context()
	var out map[string]any
	require.NoError(t, c.GetJSON(ctx, "/api/ok", &out))
	require.NoError(t, c.GetJSON(ctx, "/api/public/ok", &out))
	require.NoError(t, c.GetJSON(ctx, "/ok", &out))

	err := c.GetJSON(ctx, "/api/echo-key", &out)
	require.Error(t, err)
	s.seen.addError("echo-key", err)
	err = c.GetJSON(ctx, "/api/panic?token="+queryToken, &out)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), queryToken)
	s.seen.addError("panic", err)
	err = c.GetJSON(ctx, "/api/panic-after-start", &out)
	require.Error(t, err)
	s.seen.addError("panic after start", err)
	err = c.PostJSON(ctx, "/api/ok", map[string]string{"text": strings.Repeat("x", 2048)}, &out)
	require.Error(t, err)
	s.seen.addError("body too large", err)
	require.Equal(t, http.StatusOK, s.app.Trigger("nightly").StatusCode)
}

// faultFlows makes the client retry and fail: injected 503s and dropped connections, a
// request timeout, and a context that ends.
func (s *secretsApp) faultFlows(t *testing.T, c *client.Client) {
	ctx := t.Context()
	var out map[string]any
	s.app.FailNext("api", 4, http.StatusServiceUnavailable, 0)
	s.seen.addError("503", c.GetJSON(ctx, "/api/ok", &out))
	s.app.DropNext("api", 4)
	s.seen.addError("dropped", c.GetJSON(ctx, "/api/ok", &out))
	s.seen.addError("router timeout", c.GetJSON(ctx, "/api/slow", &out))

	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	s.seen.addError("context deadline", c.GetJSON(short, "/api/slow", &out))
}

// headerFlows sends keys the router must reject, and an app key it must accept, which it
// returns.
func (s *secretsApp) headerFlows(t *testing.T) string {
	key := s.app.Env("web").APIKey.Reveal()
	appKey := s.app.NewAppKey()
	tests := []struct {
		path   string
		header http.Header
		want   int
	}{
		{"/api/ok", http.Header{"X-Api-Key": {"WRONG" + key}}, http.StatusUnauthorized},
		{"/api/ok", http.Header{"X-Api-Key": {key, key}}, http.StatusUnauthorized},
		{"/api/ok", http.Header{"X-Space-App-Key": {appKey}}, http.StatusOK},
		{"/ok", http.Header{"X-Space-App-Key": {appKey}}, http.StatusUnauthorized},
		{"/api/ok", http.Header{"X-Space-App-Key": {appKey + "x"}}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		status, body := s.get(t, s.app.HTTPClient(), tt.path, tt.header)
		assert.Equal(t, tt.want, status, "%s with %v", tt.path, tt.header)
		s.seen.add("response to "+tt.path, body)
	}
	return appKey
}

// sessionFlows logs in with a login URL, uses the session, reuses the login URL, which fails,
// and returns the session cookie's value and the login token. The login response carries
// Referrer-Policy: no-referrer, which browsers obey and net/http's client does not, so the
// redirect is followed by hand, as a browser would, without a Referer.
func (s *secretsApp) sessionFlows(t *testing.T) (cookie, token string) {
	loginURL := s.app.LoginURL("/api/ok")
	parsed, err := url.Parse(loginURL)
	require.NoError(t, err)
	token = parsed.Query().Get("token")
	browser := s.app.HTTPClient()
	browser.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	resp, err := browser.Get(loginURL)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusFound, resp.StatusCode)
	assert.Equal(t, "no-referrer", resp.Header.Get("Referrer-Policy"))
	require.Equal(t, "/api/ok", resp.Header.Get("Location"))
	status, _ := s.get(t, browser, "/api/ok", nil)
	require.Equal(t, http.StatusOK, status, "the session cookie admits the browser")
	cookies := browser.Jar.Cookies(parsed)
	require.Len(t, cookies, 1)

	status, body := s.get(t, s.app.HTTPClient(), strings.TrimPrefix(loginURL, s.app.URL()), nil)
	assert.Equal(t, http.StatusUnauthorized, status, "a login token works once")
	s.seen.add("second login", body)

	forged := http.Header{"Cookie": {middleware.DefaultCookieName + "=" + cookies[0].Value + "x"}}
	status, body = s.get(t, s.app.HTTPClient(), "/api/ok", forged)
	assert.Equal(t, http.StatusUnauthorized, status, "a forged cookie")
	s.seen.add("forged cookie", body)
	return cookies[0].Value, token
}

// redirectFlow follows a redirect to another origin, which must not receive the key.
func (s *secretsApp) redirectFlow(t *testing.T, c *client.Client) {
	resp, err := c.Get(t.Context(), "/api/redirect-away")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, "elsewhere", string(body))
	header := <-s.leaked
	assert.Empty(t, header.Values("X-Api-Key"), "the other origin got X-API-Key")
	s.seen.add("headers at the other origin", fmt.Sprint(header))
}

// get sends a GET for path on the app with header and returns the status and the body.
func (s *secretsApp) get(t *testing.T, hc *http.Client, path string,
	header http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.app.URL()+path, nil)
	require.NoError(t, err)
	for name, values := range header {
		req.Header[name] = values
	}
	resp, err := hc.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// TestPrintedValuesHideKeys prints every value of the kit that holds a key, in each format a
// caller might log it with, and requires that no format shows the key.
func TestPrintedValuesHideKeys(t *testing.T) {
	t.Parallel()
	const apiKey = "sk-printed-canary-4d1f"
	sessionKey := []byte("printed-canary-session-key-32byt")
	cfg, err := envconfig.LoadFrom(mapLookup(map[string]string{
		envconfig.EnvHostname: "notes-1-a1b2.deta.app", envconfig.EnvAPIKey: apiKey,
		envconfig.EnvProjectKey: "proj_" + apiKey,
	}))
	require.NoError(t, err)
	c, err := client.New(cfg)
	require.NoError(t, err)
	sessions, err := middleware.NewSessions(middleware.SessionOptions{Keys: [][]byte{sessionKey}})
	require.NoError(t, err)
	r, err := router.New(router.Options{APIKey: envconfig.Secret(apiKey), Sessions: sessions,
		Micros: []router.Micro{{Name: "web", Handler: http.NotFoundHandler()}}})
	require.NoError(t, err)
	app := spacetest.New(t, spacetest.Micro{Name: "web", Handler: http.NotFoundHandler()})

	values := []struct {
		name    string
		value   any
		secrets []string
	}{
		{"envconfig.Config", cfg, []string{apiKey}},
		{"envconfig.Secret", cfg.APIKey, []string{apiKey}},
		{"*client.Client", c, []string{apiKey}},
		{"middleware.AuthOptions", middleware.AuthOptions{APIKeys: []envconfig.Secret{cfg.APIKey}},
			[]string{apiKey}},
		{"router.Options", router.Options{APIKey: cfg.APIKey}, []string{apiKey}},
		{"*middleware.Sessions", sessions, keyForms(sessionKey)},
		{"*router.Router", r, []string{apiKey}},
		{"*spacetest.App", app, []string{app.Env("web").APIKey.Reveal()}},
	}
	for _, v := range values {
		t.Run(v.name, func(t *testing.T) {
			forms := printedForms(v.value)
			for _, format := range slices.Sorted(maps.Keys(forms)) {
				for _, secret := range v.secrets {
					if strings.Contains(forms[format], secret) {
						t.Errorf("%s shows the key %q", format, secret)
					}
				}
			}
		})
	}
}

// printedForms returns value as fmt, encoding/json and log/slog print it, keyed by the way
// it was printed.
func printedForms(value any) map[string]string {
	forms := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		forms["fmt "+verb] = fmt.Sprintf(verb, value)
	}
	if data, err := json.Marshal(value); err == nil {
		forms["json.Marshal"] = string(data)
	}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("value", "value", value)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("value", "value", value)
	forms["slog.TextHandler"] = text.String()
	forms["slog.JSONHandler"] = js.String()
	return forms
}

// mapLookup returns a lookup function for envconfig.LoadFrom over vars.
func mapLookup(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		value, ok := vars[name]
		return value, ok
	}
}
