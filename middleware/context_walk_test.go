package middleware_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spacekit/spacekit/middleware"
)

// reachableStrings returns every string and byte slice reachable from v through pointers,
// interfaces, structs, arrays, slices and maps, unexported fields included. Each pointer is
// followed once.
func reachableStrings(v reflect.Value) []string {
	var out []string
	seen := make(map[uintptr]bool)
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			out = append(out, v.String())
		case reflect.Pointer, reflect.UnsafePointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			if v.Kind() == reflect.Pointer {
				walk(v.Elem())
			}
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.Slice, reflect.Array:
			if v.Type().Elem().Kind() == reflect.Uint8 {
				b := make([]byte, v.Len())
				for i := range b {
					b[i] = byte(v.Index(i).Uint())
				}
				out = append(out, string(b))
				return
			}
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			for iter := v.MapRange(); iter.Next(); {
				walk(iter.Key())
				walk(iter.Value())
			}
		}
	}
	walk(v)
	return out
}

// contextStrings returns the strings reachable from ctx, which is all that the context
// stores, since a context.WithValue keeps its parent, key and value in fields.
func contextStrings(ctx context.Context) []string {
	return reachableStrings(reflect.ValueOf(&ctx).Elem())
}

func TestChainContextHasNoSecret(t *testing.T) {
	t.Parallel()
	sessions := newSessions(t, fixedNow)
	cookie, err := sessions.NewCookie("owner-subject", false)
	require.NoError(t, err)
	auth, err := middleware.Auth(middleware.AuthOptions{APIKeys: apiKeys, AppKeys: appKeys,
		Sessions: sessions, PublicRoutes: []string{"/public/*"}})
	require.NoError(t, err)
	limit, err := middleware.RateLimit(middleware.RateLimitOptions{Rate: 1000, Burst: 1000})
	require.NoError(t, err)

	cookieHeader := cookie.Name + "=" + cookie.Value
	var stored []string
	h := middleware.Chain(middleware.RequestID, middleware.Recover(nil), auth, limit).ThenFunc(
		func(w http.ResponseWriter, r *http.Request) { stored = contextStrings(r.Context()) })

	// The secrets are chosen so that none is a substring of the values that may be stored.
	tests := []struct {
		name       string
		path       string
		header     http.Header
		secrets    []string
		wantStored string // proves that the walk reached the AuthInfo
	}{
		{"API key", "/items", http.Header{"X-Api-Key": {"api-key-current"}},
			[]string{"api-key-current"}, string(middleware.MethodAPIKey)},
		{"app key", "/items", http.Header{"X-Space-App-Key": {"app-key-one"}},
			[]string{"app-key-one"}, string(middleware.MethodAppKey)},
		{"session cookie", "/items", http.Header{"Cookie": {cookieHeader}},
			[]string{cookie.Value, strings.SplitN(cookie.Value, ".", 3)[2]}, "owner-subject"},
		{"public route with a wrong key", "/public/a", http.Header{
			"X-Api-Key": {"wrong-api-key"}, "Cookie": {cookieHeader}},
			[]string{"wrong-api-key", cookie.Value}, string(middleware.MethodPublic)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stored = nil
			r := httptest.NewRequest(http.MethodGet, tt.path, nil)
			r.Header = tt.header
			r.Header.Set("X-Request-ID", "req-context-1")
			w := serve(h, r)
			require.Equal(t, http.StatusOK, w.Code)

			require.Contains(t, stored, tt.wantStored)
			require.Contains(t, stored, "req-context-1")
			for _, value := range stored {
				for _, secret := range tt.secrets {
					assert.NotContains(t, value, secret)
				}
			}
		})
	}
}
