package spacetest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/spacekit/spacekit/spacetest"
)

func TestNewFailsOnBadSetup(t *testing.T) {
	t.Parallel()
	h := http.NotFoundHandler()
	tests := []struct {
		name    string
		micros  []spacetest.Micro
		message string
	}{
		{"no micros", nil,
			"spacetest: invalid app: the app has 0 Micros: an app has 1 to 5"},
		{"six micros", []spacetest.Micro{{Name: "a", Primary: true, Handler: h},
			{Name: "b", Handler: h}, {Name: "c", Handler: h}, {Name: "d", Handler: h},
			{Name: "e", Handler: h}, {Name: "f", Handler: h}},
			"spacetest: invalid app: the app has 6 Micros: an app has 1 to 5"},
		{"no primary", []spacetest.Micro{{Name: "a", Handler: h}, {Name: "b", Handler: h}},
			"spacetest: invalid app: no Micro is primary: with more than one Micro, mark " +
				"exactly one Primary"},
		{"two primaries", []spacetest.Micro{{Name: "a", Primary: true, Handler: h},
			{Name: "b", Primary: true, Handler: h}},
			`spacetest: invalid app: Micros "a", "b" are all primary: mark exactly one Primary`},
		{"duplicate name", []spacetest.Micro{{Name: "a", Primary: true, Handler: h},
			{Name: "b", Handler: h}, {Name: "b", Path: "/c", Handler: h}},
			`spacetest: invalid app: Micro "b": the name is used by another Micro too: give ` +
				`each Micro its own name`},
		{"duplicate path", []spacetest.Micro{{Name: "a", Primary: true, Handler: h},
			{Name: "b", Path: "/api", Handler: h}, {Name: "api", Handler: h}},
			`spacetest: invalid app: Micro "api": Path "/api" is already served by Micro ` +
				`"b": give each Micro its own path`},
		{"no handler", []spacetest.Micro{{Name: "web"}},
			`spacetest: invalid app: Micro "web": Handler and NewHandler are both nil: set ` +
				`exactly one of them`},
		{"handler and new handler", []spacetest.Micro{{Name: "web", Handler: h,
			NewHandler: func(*spacetest.App) (http.Handler, error) { return h, nil }}},
			`spacetest: invalid app: Micro "web": Handler and NewHandler are both set: set ` +
				`exactly one of them`},
		{"reserved env", []spacetest.Micro{{Name: "web", Handler: h,
			Env: map[string]string{"DETA_API_KEY": "mine"}}},
			`spacetest: invalid app: Micro "web": Env sets DETA_API_KEY, which the App sets ` +
				`itself: remove it`},
		{"invalid env", []spacetest.Micro{{Name: "web", Handler: h,
			Env: map[string]string{"PORT": "abc"}}},
			`spacetest: invalid app: Micro "web": Env: envconfig: PORT: invalid: "abc": use ` +
				`a whole number from 1 to 65535`},
		{"two reserved env", []spacetest.Micro{{Name: "web", Handler: h,
			Env: map[string]string{"DETA_API_KEY": "mine", "SPACEKIT_BASE_URL": "x"}}},
			`spacetest: invalid app: Micro "web": Env sets DETA_API_KEY, which the App sets ` +
				`itself: remove it; Micro "web": Env sets SPACEKIT_BASE_URL, which the App ` +
				`sets itself: remove it`},
		{"several problems", []spacetest.Micro{{Name: "web"}, {Name: "web", Handler: h,
			Env: map[string]string{"PORT": "0"}}},
			`spacetest: invalid app: Micro "web": Handler and NewHandler are both nil: set ` +
				`exactly one of them; Micro "web": Env: envconfig: PORT: invalid: "0": use a ` +
				`whole number from 1 to 65535; no Micro is primary: with more than one ` +
				`Micro, mark exactly one Primary; Micro "web": the name is used by another ` +
				`Micro too: give each Micro its own name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msg := fatalOf(t, func(tb testing.TB) { spacetest.New(tb, tt.micros...) })
			assert.Equal(t, tt.message, msg)
		})
	}
}

func TestNewWithOptionsFailsOnBadOptions(t *testing.T) {
	t.Parallel()
	msg := fatalOf(t, func(tb testing.TB) {
		spacetest.NewWithOptions(tb, spacetest.Options{RequestTimeout: -1},
			spacetest.Micro{Name: "web", Handler: http.NotFoundHandler()})
	})
	assert.Equal(t, "spacetest: invalid app: RequestTimeout is -1ns: use a positive "+
		"duration, or 0 for the default 20s", msg)
}

func TestUnknownMicroFailsTest(t *testing.T) {
	t.Parallel()
	msg := fatalOf(t, func(tb testing.TB) {
		app := spacetest.New(tb, micros3()...)
		app.Requests("nope")
	})
	assert.Equal(t, `spacetest: App.Requests("nope"): no such Micro: the app has "web", `+
		`"api", "v1api"`, msg)
}
