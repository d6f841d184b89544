package router_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/internal/router"
)

func TestNewRejectsInvalidOptions(t *testing.T) {
	t.Parallel()
	h := http.NotFoundHandler()
	tests := []struct {
		name    string
		opts    router.Options
		message string
	}{
		{"no micros", router.Options{NoAuth: true},
			"router: the app has 0 Micros: an app has 1 to 5"},
		{"six micros", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Primary: true, Handler: h}, {Name: "b", Handler: h},
			{Name: "c", Handler: h}, {Name: "d", Handler: h}, {Name: "e", Handler: h},
			{Name: "f", Handler: h}}},
			"router: the app has 6 Micros: an app has 1 to 5"},
		{"no primary", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Handler: h}, {Name: "b", Handler: h}}},
			"router: no Micro is primary: with more than one Micro, mark exactly one Primary"},
		{"two primaries", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Primary: true, Handler: h}, {Name: "b", Primary: true, Handler: h}}},
			`router: Micros "a", "b" are all primary: mark exactly one Primary`},
		{"duplicate name", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Primary: true, Handler: h}, {Name: "b", Handler: h},
			{Name: "b", Path: "/c", Handler: h}}},
			`router: Micro "b": the name is used by another Micro too: give each Micro its ` +
				`own name`},
		{"duplicate path", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Primary: true, Handler: h}, {Name: "b", Path: "api/", Handler: h},
			{Name: "api", Handler: h}}},
			`router: Micro "api": Path "/api" is already served by Micro "b": give each ` +
				`Micro its own path`},
		{"bad name", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "-web", Handler: h}}},
			`router: Micro "-web": invalid name: a name matches ^[A-Za-z0-9][A-Za-z0-9_-]*$`},
		{"nil handler", router.Options{NoAuth: true, Micros: []router.Micro{{Name: "web"}}},
			`router: Micro "web": Handler is nil: give every Micro a handler`},
		{"primary with path", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "web", Path: "/web", Primary: true, Handler: h}}},
			`router: Micro "web": the primary has Path "/web": the primary serves "/", so ` +
				`leave Path empty`},
		{"path slash", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Primary: true, Handler: h}, {Name: "b", Path: "/", Handler: h}}},
			`router: Micro "b": Path is "/": only the primary serves "/", so give a prefix ` +
				`such as "/api"`},
		{"path dot dot", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Primary: true, Handler: h}, {Name: "b", Path: "/x/../y", Handler: h}}},
			`router: Micro "b": invalid Path "/x/../y": segment ".." is not allowed: use a ` +
				`clean path`},
		{"path empty segment", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Primary: true, Handler: h}, {Name: "b", Path: "/x//y", Handler: h}}},
			`router: Micro "b": invalid Path "/x//y": it has an empty segment: remove the ` +
				`doubled "/"`},
		{"written path slash", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Primary: true, Handler: h},
			{Name: "b", Path: "/", WrittenPath: "//", Handler: h}}},
			`router: Micro "b": Path "//" normalises to "/": only the primary serves "/", so ` +
				`give a prefix such as "/api"`},
		{"written path empty segment", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Primary: true, Handler: h},
			{Name: "b", Path: "/x//", WrittenPath: "x///", Handler: h}}},
			`router: Micro "b": invalid Path "x///": it has an empty segment: remove the ` +
				`doubled "/"`},
		{"written path dot dot", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Primary: true, Handler: h},
			{Name: "b", Path: "/x/../y", WrittenPath: "x/../y/", Handler: h}}},
			`router: Micro "b": invalid Path "x/../y/": segment ".." is not allowed: use a ` +
				`clean path`},
		{"path needs escaping", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Primary: true, Handler: h}, {Name: "b", Path: "/a b", Handler: h}}},
			`router: Micro "b": invalid Path "/a b": segment "a b" needs percent-encoding: ` +
				`use characters that a URL path carries as they are, such as letters, digits ` +
				`and -._~`},
		{"public and public routes", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Handler: h, Public: true, PublicRoutes: []string{"/x"}}}},
			`router: Micro "a": Public and PublicRoutes are both set: Public already makes ` +
				`every route public, so set one of them`},
		{"empty public route", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Handler: h, PublicRoutes: []string{""}}}},
			`router: Micro "a": a public route is empty: give a pattern such as "/public/*"`},
		{"duplicate public route", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Handler: h, PublicRoutes: []string{"/x", "/x"}}}},
			`router: Micro "a": public route "/x" is listed twice: list it once`},
		{"public route without slash", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Handler: h, PublicRoutes: []string{"x"}}}},
			`router: Micro "a": public routes: middleware: Auth: PublicRoutes[0] "x" must ` +
				`start with "/": patterns are relative to the Micro's root`},
		{"duplicate action", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Primary: true, Handler: h, Actions: []string{"sync"}},
			{Name: "b", Handler: h, Actions: []string{"sync"}}}},
			`router: Micro "b": action "sync" is already declared by Micro "a": action ids ` +
				`are unique in the app`},
		{"empty action", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Handler: h, Actions: []string{""}}}},
			`router: Micro "a": an action id is empty: give each action an id`},
		{"six actions", router.Options{NoAuth: true, Micros: []router.Micro{
			{Name: "a", Handler: h, Actions: []string{"1", "2", "3", "4", "5", "6"}}}},
			`router: Micro "a": declares 6 actions: a Micro declares at most 5`},
		{"no api key", router.Options{Sessions: newSessions(t), Micros: []router.Micro{
			{Name: "a", Handler: h}}},
			"router: APIKey is empty: set the app's DETA_API_KEY, or set NoAuth"},
		{"no sessions", router.Options{APIKey: "k", Micros: []router.Micro{
			{Name: "a", Handler: h}}},
			"router: Sessions is nil: create it with middleware.NewSessions, or set NoAuth"},
		{"negative timeout", router.Options{NoAuth: true, RequestTimeout: -time.Second,
			Micros: []router.Micro{{Name: "a", Handler: h}}},
			"router: RequestTimeout is -1s: use a positive duration, or 0 for the default 20s"},
		{"negative body limit", router.Options{NoAuth: true, MaxBodyBytes: -1,
			Micros: []router.Micro{{Name: "a", Handler: h}}},
			"router: MaxBodyBytes is -1: use a positive size, or 0 for the default 5767168"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := router.New(tt.opts)
			assert.Nil(t, r)
			require.EqualError(t, err, tt.message)
			var configErr *router.ConfigError
			require.ErrorAs(t, err, &configErr)
			assert.Len(t, configErr.Problems, 1)
		})
	}
}

func TestNewReportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := router.New(router.Options{Micros: []router.Micro{
		{Name: "web", Primary: true}, {Name: "web", Handler: http.NotFoundHandler()}}})
	var configErr *router.ConfigError
	require.ErrorAs(t, err, &configErr)
	assert.Equal(t, []router.Problem{
		{Micro: "web", Message: "Handler is nil: give every Micro a handler"},
		{Micro: "web", Message: "the name is used by another Micro too: give each Micro " +
			"its own name"},
		{Message: "APIKey is empty: set the app's DETA_API_KEY, or set NoAuth"},
		{Message: "Sessions is nil: create it with middleware.NewSessions, or set NoAuth"},
	}, configErr.Problems)
}

func TestNewNormalisesMicros(t *testing.T) {
	t.Parallel()
	h := http.NotFoundHandler()
	in := []router.Micro{
		{Name: "web", Primary: true, Handler: h},
		{Name: "api", Handler: h, PublicRoutes: []string{"/p"}, Actions: []string{"sync"}},
		{Name: "two", Path: "v1/api/", Handler: h},
	}
	r := newRouter(t, in...)
	micros := r.Micros()
	require.Len(t, micros, 3)
	assert.Equal(t, "/", micros[0].Path)
	assert.Equal(t, "/api", micros[1].Path)
	assert.Equal(t, "/v1/api", micros[2].Path)
	assert.False(t, micros[1].Primary)
	assert.Equal(t, []string{"/p"}, micros[1].PublicRoutes)
	assert.Equal(t, []string{"sync"}, micros[1].Actions)
	micros[1].PublicRoutes[0] = "/changed"
	assert.Equal(t, []string{"/p"}, r.Micros()[1].PublicRoutes)
	assert.Empty(t, in[1].Path, "New must not change the caller's Micros")
}

func TestNormalisePath(t *testing.T) {
	t.Parallel()
	tests := []struct{ path, want string }{
		{"", "/api"},
		{"api", "/api"},
		{"/api", "/api"},
		{"api/", "/api"},
		{"/api/", "/api"},
		{"api//", "/api/"},
		{"v1/api/", "/v1/api"},
		{"/", "/"},
		{"//", "/"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, router.NormalisePath("api", tt.path), "path %q", tt.path)
	}
}

func TestNewRoutesAtPathNotWrittenPath(t *testing.T) {
	t.Parallel()
	h := http.NotFoundHandler()
	r := newRouter(t, router.Micro{Name: "web", Primary: true, Handler: h},
		router.Micro{Name: "api", Path: "/api/", WrittenPath: "api//", Handler: h})
	micros := r.Micros()
	require.Len(t, micros, 2)
	assert.Equal(t, "/api", micros[1].Path, "WrittenPath must not change routing")
}
