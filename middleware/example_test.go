package middleware_test

import (
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/spacekit/spacekit/envconfig"
	"github.com/spacekit/spacekit/middleware"
)

func ExampleAuth() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /notes/{id}", func(w http.ResponseWriter, r *http.Request) {
		info, _ := middleware.AuthInfoFrom(r.Context())
		fmt.Fprintf(w, "note %s, admitted by %s", r.PathValue("id"), info.Method)
	})
	mux.HandleFunc("GET /public/{file...}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "public file %s", r.PathValue("file"))
	})

	// In a Micro, AuthFromEnv with the envconfig.Load result adds DETA_API_KEY itself.
	auth, err := middleware.Auth(middleware.AuthOptions{
		APIKeys:      []envconfig.Secret{"key-from-DETA_API_KEY"},
		PublicRoutes: []string{"/public/*"},
		LoginURL:     "/__space/login",
	})
	if err != nil {
		log.Fatal(err)
	}
	handler := middleware.Chain(middleware.RequestID, middleware.Recover(nil), auth).Then(mux)

	send := func(path, key, accept string) {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		if key != "" {
			r.Header.Set("X-API-Key", key)
		}
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		fmt.Printf("%s: %d %s%s\n", path, w.Code, w.Header().Get("Location"),
			strings.TrimSpace(w.Body.String()))
	}
	send("/notes/7", "key-from-DETA_API_KEY", "")
	send("/public/logo.png", "", "")
	send("/notes/7", "wrong-key", "")
	send("/notes/7", "", "text/html")
	// Output:
	// /notes/7: 200 note 7, admitted by api_key
	// /public/logo.png: 200 public file logo.png
	// /notes/7: 401 {"error":"unauthorized","message":"the X-API-Key header does not contain a valid key"}
	// /notes/7: 302 /__space/login?redirect_uri=%2Fnotes%2F7
}

func ExampleSessions() {
	sessions, err := middleware.NewSessions(middleware.SessionOptions{
		// Use at least 32 random bytes, such as from crypto/rand, kept out of the source.
		Keys: [][]byte{[]byte("an-example-key-of-32-bytes-or-more")},
	})
	if err != nil {
		log.Fatal(err)
	}
	auth, err := middleware.Auth(middleware.AuthOptions{Sessions: sessions})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /__space/login", sessions.LoginHandler())
	mux.Handle("/", auth(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, _ := middleware.AuthInfoFrom(r.Context())
		fmt.Fprintf(w, "hello, %s", info.Session.Subject)
	})))

	// The owner opens a one-time login link and gets a session cookie.
	token, err := sessions.NewLoginToken("owner")
	if err != nil {
		log.Fatal(err)
	}
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest(http.MethodGet,
		"/__space/login?token="+token+"&redirect_uri=/notes", nil))
	fmt.Println(w.Code, w.Header().Get("Location"))

	r := httptest.NewRequest(http.MethodGet, "/notes", nil)
	r.AddCookie(w.Result().Cookies()[0])
	w = httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Body)
	// Output:
	// 302 /notes
	// 200 hello, owner
}
