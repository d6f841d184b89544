package router

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// ActionsPath is the micro-relative path to which Space posts the events of scheduled actions.
// A request from outside the app for this path, or below it, gets 404 unless the path is a
// public route of the Micro.
const ActionsPath = "/__space/v0/actions"

// ErrUnknownAction is the error, wrapped, of [Router.Trigger] for an action id that no Micro
// declares. Test for it with [errors.Is].
var ErrUnknownAction = errors.New("unknown action")

// ErrActionAborted is the error, wrapped, of [Router.Trigger] when the Micro's handler aborted
// the response, by panicking or by exceeding the request timeout after it started its
// response.
var ErrActionAborted = errors.New("action aborted")

// actionEvent is the body that Space posts for a scheduled action.
type actionEvent struct {
	Event struct {
		ID      string `json:"id"`
		Trigger string `json:"trigger"`
	} `json:"event"`
}

// Trigger runs the scheduled action actionID now, as Space's scheduler does: it posts
// {"event":{"id":"<actionID>","trigger":"schedule"}} with Content-Type application/json to
// [ActionsPath] on the Micro that declares the action. The request comes from the runtime, so
// it bypasses authentication, but the request timeout applies, and ctx can end it sooner.
//
// The response is complete and its body is in memory; closing it is optional. A status other
// than 2xx is no error: the caller decides. The error wraps [ErrUnknownAction] when no Micro
// declares actionID, and [ErrActionAborted] when the handler aborted the response. Trigger is
// safe for concurrent use.
func (r *Router) Trigger(ctx context.Context, actionID string) (*http.Response, error) {
	if ctx == nil {
		return nil, fmt.Errorf("router: Trigger(nil, %q): pass a context", actionID)
	}
	m, ok := r.actions[actionID]
	if !ok {
		return nil, fmt.Errorf("router: Trigger(%q): %w: declare the id in a Micro's Actions",
			actionID, ErrUnknownAction)
	}
	start := time.Now()
	rec := httptest.NewRecorder()
	err := r.serveAction(rec, newActionRequest(ctx, actionID), m)
	resp := rec.Result()
	r.logAction(ctx, actionID, m, resp.StatusCode, time.Since(start), err)
	if err != nil {
		return nil, fmt.Errorf("router: Trigger(%q): Micro %q: %w", actionID, m.Name, err)
	}
	return resp, nil
}

func newActionRequest(ctx context.Context, actionID string) *http.Request {
	var event actionEvent
	event.Event.ID = actionID
	event.Event.Trigger = "schedule"
	body, _ := json.Marshal(event)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ActionsPath,
		strings.NewReader(string(body)))
	req.RequestURI = ActionsPath
	req.Header.Set("Content-Type", "application/json")
	return req
}

// serveAction runs the Micro's handler under the limits, without authentication. A panic of
// the handler, such as [http.ErrAbortHandler], becomes an error that wraps ErrActionAborted.
func (r *Router) serveAction(w http.ResponseWriter, req *http.Request, m *micro) (err error) {
	lim := r.limits.limit(w, req, time.Now())
	req = req.WithContext(lim.ctx)
	lim.limitBody(req)
	defer func() {
		if p := recover(); p != nil {
			lim.end(false)
			err = fmt.Errorf("%w: the handler panicked: %v", ErrActionAborted, p)
		}
	}()
	m.Handler.ServeHTTP(&lim.guard, req)
	if lim.end(true) {
		return fmt.Errorf("%w: the request timeout passed after the response started",
			ErrActionAborted)
	}
	return nil
}

func (r *Router) logAction(ctx context.Context, id string, m *micro, status int,
	d time.Duration, err error) {
	r.record(AccessRecord{Method: http.MethodPost, Path: ActionsPath, Micro: m.Name,
		Status: status, Duration: d, Aborted: err != nil})
	if r.logger == nil {
		return
	}
	attrs := []slog.Attr{slog.String("action", id), slog.String("micro", m.Name),
		slog.Int("status", status), slog.Duration("duration", d)}
	if err != nil {
		r.logger.LogAttrs(ctx, slog.LevelWarn, "action aborted",
			append(attrs, slog.Any("error", err))...)
		return
	}
	r.logger.LogAttrs(ctx, slog.LevelInfo, "action triggered", attrs...)
}
