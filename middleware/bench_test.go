package middleware

import (
	"bytes"
	"crypto/subtle"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/spacekit/spacekit/envconfig"
)

// Run with: go test -run '^$' -bench . -benchmem -count=5 ./middleware/

var benchKeys = []envconfig.Secret{
	"3c5e2b0a-6f1d-4a8e-9b7c-0d2e4f6a8b1c-key-one",
	"3c5e2b0a-6f1d-4a8e-9b7c-0d2e4f6a8b1c-key-two",
	"3c5e2b0a-6f1d-4a8e-9b7c-0d2e4f6a8b1c-key-thr",
}

// bareHandler is the handler every Auth benchmark wraps, and the baseline they compare with.
var bareHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Write([]byte("ok"))
})

// serveLoop sends r to h once per iteration, each time through a new
// httptest.ResponseRecorder, as a test would.
func serveLoop(b *testing.B, h http.Handler, r *http.Request, wantStatus int) {
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != wantStatus {
			b.Fatalf("status %d, want %d", w.Code, wantStatus)
		}
	}
}

func benchAuth(b *testing.B, sessions *Sessions) http.Handler {
	b.Helper()
	auth, err := Auth(AuthOptions{APIKeys: benchKeys, PublicRoutes: []string{"/public/*"},
		Sessions: sessions})
	if err != nil {
		b.Fatal(err)
	}
	return auth(bareHandler)
}

func BenchmarkAuth(b *testing.B) {
	sessions, err := NewSessions(SessionOptions{Keys: [][]byte{bytes.Repeat([]byte("k"), 32)}})
	if err != nil {
		b.Fatal(err)
	}
	h := benchAuth(b, sessions)
	cookie, err := sessions.NewCookie("owner", false)
	if err != nil {
		b.Fatal(err)
	}

	b.Run("bare", func(b *testing.B) {
		serveLoop(b, bareHandler, httptest.NewRequest(http.MethodGet, "/items/7", nil), 200)
	})
	b.Run("api_key", func(b *testing.B) {
		r := httptest.NewRequest(http.MethodGet, "/items/7", nil)
		r.Header.Set("X-API-Key", benchKeys[2].Reveal())
		serveLoop(b, h, r, 200)
	})
	b.Run("session", func(b *testing.B) {
		r := httptest.NewRequest(http.MethodGet, "/items/7", nil)
		r.AddCookie(cookie)
		serveLoop(b, h, r, 200)
	})
	b.Run("public_route", func(b *testing.B) {
		serveLoop(b, h, httptest.NewRequest(http.MethodGet, "/public/app.js", nil), 200)
	})
	b.Run("rejected", func(b *testing.B) {
		r := httptest.NewRequest(http.MethodGet, "/items/7", nil)
		r.Header.Set("X-API-Key", "wrong")
		serveLoop(b, h, r, 401)
	})
}

// BenchmarkKeyCheck compares the key check with the comparisons a user might write instead:
// a plain == (not constant-time) and subtle.ConstantTimeCompare of the raw keys, which
// returns early when the lengths differ.
func BenchmarkKeyCheck(b *testing.B) {
	set, err := newKeySet("Auth", "APIKeys", benchKeys)
	if err != nil {
		b.Fatal(err)
	}
	h := http.Header{headerAPIKey: {benchKeys[2].Reveal()}}

	b.Run("hashed_constant_time", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !set.matchHeader(h, headerAPIKey) {
				b.Fatal("no match")
			}
		}
	})
	b.Run("plain_equal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !plainMatch(h.Get("X-API-Key")) {
				b.Fatal("no match")
			}
		}
	})
	b.Run("raw_constant_time", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !rawConstantTimeMatch(h.Get("X-API-Key")) {
				b.Fatal("no match")
			}
		}
	})
}

func plainMatch(key string) bool {
	for _, k := range benchKeys {
		if key == k.Reveal() {
			return true
		}
	}
	return false
}

func rawConstantTimeMatch(key string) bool {
	found := 0
	for _, k := range benchKeys {
		found |= subtle.ConstantTimeCompare([]byte(key), []byte(k.Reveal()))
	}
	return found == 1
}

// BenchmarkPublicRoutes matches a path that no pattern matches, so every pattern is tried,
// against the compiled patterns and against one regexp per pattern.
func BenchmarkPublicRoutes(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		patterns := manyPatterns(n)
		routes, err := newPublicRoutes("Auth", patterns)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("compiled/"+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if routes.match("/not/public") {
					b.Fatal("matched")
				}
			}
		})
		regexps := make([]*regexp.Regexp, n)
		for i, p := range patterns {
			regexps[i] = referencePattern(p)
		}
		b.Run("regexp/"+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if matchAny(regexps, "/not/public") {
					b.Fatal("matched")
				}
			}
		})
	}
}

func matchAny(regexps []*regexp.Regexp, path string) bool {
	for _, re := range regexps {
		if re.MatchString(path) {
			return true
		}
	}
	return false
}

// BenchmarkVerifySession measures the session check alone.
func BenchmarkVerifySession(b *testing.B) {
	sessions, err := NewSessions(SessionOptions{Keys: [][]byte{bytes.Repeat([]byte("k"), 32)},
		TTL: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	cookie, err := sessions.NewCookie("owner", false)
	if err != nil {
		b.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(cookie)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sessions.VerifySession(r); err != nil {
			b.Fatal(err)
		}
	}
}
