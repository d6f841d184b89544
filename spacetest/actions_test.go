package spacetest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/spacekit/spacekit/spacetest"
)

func actionApp(t *testing.T) *spacetest.App {
	return spacetest.New(t,
		spacetest.Micro{Name: "web", Primary: true, Handler: echo("web")},
		spacetest.Micro{Name: "worker", Handler: echo("worker"), Actions: []string{"digest"}},
	)
}

func TestTrigger(t *testing.T) {
	t.Parallel()
	app := actionApp(t)

	s := decode(t, app.Trigger("digest"))

	assert.Equal(t, "worker", s.Micro)
	assert.Equal(t, http.MethodPost, s.Method)
	assert.Equal(t, "/__space/v0/actions", s.Path)
	assert.Equal(t, `{"event":{"id":"digest","trigger":"schedule"}}`, s.Body)
	assert.Equal(t, []string{"application/json"}, s.Header["Content-Type"])
	assert.Empty(t, s.Auth, "the runtime's request bypasses authentication")
	got := app.Requests("worker")
	assert.Len(t, got, 1)
	assert.Equal(t, `{"event":{"id":"digest","trigger":"schedule"}}`, string(got[0].Body))
}

func TestTriggerUnknownActionFailsTest(t *testing.T) {
	t.Parallel()
	msg := fatalOf(t, func(tb testing.TB) {
		app := spacetest.New(tb, spacetest.Micro{Name: "web", Handler: echo("web")})
		app.Trigger("nope")
	})
	assert.Equal(t, `spacetest: App.Trigger("nope"): no Micro declares this action: add its `+
		`id to a Micro's Actions`, msg)
}

func TestTriggerDroppedFailsTest(t *testing.T) {
	t.Parallel()
	msg := fatalOf(t, func(tb testing.TB) {
		app := spacetest.New(tb, spacetest.Micro{Name: "web", Handler: echo("web"),
			Actions: []string{"a"}})
		app.DropNext("web", 1)
		app.Trigger("a")
	})
	assert.Equal(t, `spacetest: App.Trigger("a"): Trigger("a"): Micro "web": action aborted: `+
		`the handler panicked: net/http: abort Handler`, msg)
}

func TestActionsPathFromOutsideIsNotFound(t *testing.T) {
	t.Parallel()
	app := actionApp(t)
	for _, target := range []string{"/worker/__space/v0/actions", "/__space/v0/actions"} {
		resp, err := app.Browser().Post(app.URL()+target, "application/json", nil)
		if !assert.NoError(t, err) {
			continue
		}
		_ = readAll(t, resp)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, target)
	}
	assert.Empty(t, app.Requests("worker"))
}
