package spacetest

import (
	"errors"
	"net/http"
	"strings"

	"github.com/spacekit/spacekit/internal/router"
)

// Trigger runs the scheduled action actionID as Space's scheduler does: it posts
// {"event":{"id":"<actionID>","trigger":"schedule"}} to /__space/v0/actions on the Micro that
// declares the action, bypassing authentication, and returns the response. Its body is in
// memory, so closing it is optional. An action that no Micro declares, or a handler that
// aborts the response, fails the test.
func (a *App) Trigger(actionID string) *http.Response {
	a.t.Helper()
	resp, err := a.router.Trigger(a.ctx, actionID)
	switch {
	case errors.Is(err, router.ErrUnknownAction):
		a.t.Fatalf("spacetest: App.Trigger(%q): no Micro declares this action: add its id to "+
			"a Micro's Actions", actionID)
	case err != nil:
		a.t.Fatalf("spacetest: App.Trigger(%q): %s", actionID,
			strings.TrimPrefix(err.Error(), "router: "))
	}
	return resp
}
