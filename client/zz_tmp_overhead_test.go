package client

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

type tmpRT struct{}

func (tmpRT) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(smallJSON)), Request: req}, nil
}

func BenchmarkTmpOverhead(b *testing.B) {
	b.Run("Client", func(b *testing.B) {
		c, _ := New(testConfig(b, "http://127.0.0.1:1"), WithHTTPClient(&http.Client{Transport: tmpRT{}}))
		b.ReportAllocs()
		for b.Loop() {
			var n benchNote
			if err := c.GetJSON(b.Context(), "/small", &n); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("NetHTTP", func(b *testing.B) {
		hc := &http.Client{Transport: tmpRT{}}
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequestWithContext(b.Context(), http.MethodGet, "http://127.0.0.1:1/small", nil)
			req.Header.Set(apiKeyHeader, testKey)
			req.Header.Set("Accept", "application/json")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var n benchNote
			_ = json.NewDecoder(resp.Body).Decode(&n)
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}
