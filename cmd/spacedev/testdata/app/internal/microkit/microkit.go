// Package microkit holds the handlers that the test app's Micros share: they report the
// request and the environment each Micro received, so spacedev's tests can check them.
package microkit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"strings"
)

// Request is the report of a received request that [Echo] writes.
type Request struct {
	Micro            string `json:"micro"`
	Method           string `json:"method"`
	Path             string `json:"path"`
	EscapedPath      string `json:"escaped_path"`
	Query            string `json:"query"`
	Host             string `json:"host"`
	ForwardedFor     string `json:"x_forwarded_for"`
	ForwardedHost    string `json:"x_forwarded_host"`
	ForwardedProto   string `json:"x_forwarded_proto"`
	ForwardedPrefix  string `json:"x_forwarded_prefix"`
	HasAPIKeyHeader  bool   `json:"has_api_key_header"`
	HasSessionCookie bool   `json:"has_session_cookie"`
}

// Echo reports the request as JSON.
func Echo(w http.ResponseWriter, r *http.Request) {
	WriteJSON(w, Request{
		Micro:            os.Getenv("DETA_SPACE_APP_MICRO_NAME"),
		Method:           r.Method,
		Path:             r.URL.Path,
		EscapedPath:      r.URL.EscapedPath(),
		Query:            r.URL.RawQuery,
		Host:             r.Host,
		ForwardedFor:     r.Header.Get("X-Forwarded-For"),
		ForwardedHost:    r.Header.Get("X-Forwarded-Host"),
		ForwardedProto:   r.Header.Get("X-Forwarded-Proto"),
		ForwardedPrefix:  r.Header.Get("X-Forwarded-Prefix"),
		HasAPIKeyHeader:  r.Header.Get("X-API-Key") != "",
		HasSessionCookie: len(r.Cookies()) > 0,
	})
}

// Env reports the variables of the Micro's environment that the platform or the Spacefile
// set: PORT and every name that starts with DETA_, SPACEKIT_ or APP_. A secret's value is
// replaced by "sha256:" and the hex SHA-256 of the value, so a test can compare it without
// the Micro printing it.
func Env(w http.ResponseWriter, _ *http.Request) {
	vars := map[string]string{}
	for _, kv := range os.Environ() {
		name, value, _ := strings.Cut(kv, "=")
		if reported(name) {
			vars[name] = hideSecret(name, value)
		}
	}
	WriteJSON(w, vars)
}

func reported(name string) bool {
	return name == "PORT" || strings.HasPrefix(name, "DETA_") ||
		strings.HasPrefix(name, "SPACEKIT_") || strings.HasPrefix(name, "APP_")
}

func hideSecret(name, value string) string {
	if !strings.Contains(name, "KEY") && !strings.Contains(name, "TOKEN") {
		return value
	}
	sum := sha256.Sum256([]byte(value))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// WriteJSON writes v as a JSON response.
func WriteJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("write response: %v", err)
	}
}

// ListenAndServe serves handler on $PORT on every interface and logs the address, as a Micro
// does on Space.
func ListenAndServe(handler http.Handler) {
	addr := ":" + os.Getenv("PORT")
	log.Printf("%s listening on %s", os.Getenv("DETA_SPACE_APP_MICRO_NAME"), addr)
	log.Fatal(http.ListenAndServe(addr, handler))
}
