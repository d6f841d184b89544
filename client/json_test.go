package client

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type note struct {
	ID    int    `json:"id"`
	Title string `json:"title"`
}

func TestGetJSONDecodes(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `[{"id":1,"title":"first"},{"id":2,"title":"second"}]`)
	})
	c := newTestClient(t, srv.URL)
	var notes []note

	err := c.GetJSON(t.Context(), "/api/notes", &notes)

	require.NoError(t, err)
	assert.Equal(t, []note{{1, "first"}, {2, "second"}}, notes)
	r := srv.Requests()[0]
	assert.Equal(t, http.MethodGet, r.Method)
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
}

func TestGetJSONStatusError(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusNotFound, `{"error":"no such note"}`))
	c := newTestClient(t, srv.URL)
	var n note

	err := c.GetJSON(t.Context(), "/api/notes/9?draft=1", &n)

	assert.Equal(t, &Error{
		Method:     "GET",
		URL:        srv.URL + "/api/notes/9?draft=REDACTED",
		StatusCode: http.StatusNotFound,
		Attempts:   1,
		Body:       `{"error":"no such note"}`,
	}, requireError(t, err))
	assert.Equal(t, note{}, n)
}

func TestGetJSONDecodeError(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusOK, `{"id":"seven"}`))
	c := newTestClient(t, srv.URL)
	var n note

	err := c.GetJSON(t.Context(), "/api/notes/7", &n)

	e := requireError(t, err)
	assert.Equal(t, http.StatusOK, e.StatusCode)
	assert.Equal(t, 1, e.Attempts)
	var typeErr *json.UnmarshalTypeError
	require.ErrorAs(t, err, &typeErr)
	assert.EqualError(t, err, "client: GET "+srv.URL+"/api/notes/7: 200 OK after 1 attempt: "+
		"decoding the JSON response body: json: cannot unmarshal string into Go struct field "+
		"note.id of type int")
}

func TestGetJSONRejectsOut(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusOK, `{}`))
	c := newTestClient(t, srv.URL)
	var nilNote *note

	tests := []struct {
		name string
		out  any
		want string
	}{
		{"nil", nil, "client: GetJSON: out is <nil>, not a non-nil pointer: pass a pointer " +
			"to the value to decode into, such as &notes"},
		{"value", note{}, "client: GetJSON: out is client.note, not a non-nil pointer: pass " +
			"a pointer to the value to decode into, such as &notes"},
		{"nil pointer", nilNote, "client: GetJSON: out is *client.note, not a non-nil " +
			"pointer: pass a pointer to the value to decode into, such as &notes"},
	}
	for _, tt := range tests {
		assert.EqualError(t, c.GetJSON(t.Context(), "/x", tt.out), tt.want, tt.name)
	}
	assert.EqualError(t, c.PostJSON(t.Context(), "/x", nil, note{}), "client: PostJSON: out "+
		"is client.note, not a non-nil pointer: pass a pointer to the value to decode into, "+
		"such as &notes")
	assert.Zero(t, srv.Count())
}

func TestPostJSON(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		var in note
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		in.ID = 42
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(in)
	})
	c := newTestClient(t, srv.URL)
	var created note

	err := c.PostJSON(t.Context(), "/api/notes", note{Title: "new"}, &created)

	require.NoError(t, err)
	assert.Equal(t, note{ID: 42, Title: "new"}, created)
	r := srv.Requests()[0]
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, `{"id":0,"title":"new"}`, string(r.Body))
	assert.Equal(t, int64(len(r.Body)), r.ContentLength)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
}

func TestPostJSONWithoutBodies(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusNoContent, ""))
	c := newTestClient(t, srv.URL)

	err := c.PostJSON(t.Context(), "/api/actions", nil, nil)

	require.NoError(t, err)
	r := srv.Requests()[0]
	assert.Empty(t, r.Body)
	assert.Equal(t, int64(0), r.ContentLength)
	assert.Empty(t, r.Header.Values("Content-Type"))
}

func TestPostJSONDiscardsBodyForNilOut(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusOK, `{"id":1}`))
	c := newTestClient(t, srv.URL)

	err := c.PostJSON(t.Context(), "/api/notes", note{Title: "x"}, nil)

	require.NoError(t, err)
	assert.Equal(t, 1, srv.Count())
}

func TestPostJSONNotRetried(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusServiceUnavailable, "busy"))
	c := newTestClient(t, srv.URL)

	err := c.PostJSON(t.Context(), "/api/notes", note{Title: "x"}, nil)

	assert.Equal(t, &Error{
		Method:     "POST",
		URL:        srv.URL + "/api/notes",
		StatusCode: http.StatusServiceUnavailable,
		Attempts:   1,
		Body:       "busy",
	}, requireError(t, err))
	assert.Equal(t, 1, srv.Count())
}

func TestPostJSONEncodeError(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusOK, "{}"))
	c := newTestClient(t, srv.URL)

	err := c.PostJSON(t.Context(), "/api/notes", make(chan int), nil)

	var typeErr *json.UnsupportedTypeError
	require.ErrorAs(t, err, &typeErr)
	assert.EqualError(t, err, "client: PostJSON: encoding the request body: json: "+
		"unsupported type: chan int")
	assert.Zero(t, srv.Count())
}

func TestGetJSONBodyExcerptIsBounded(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, always(http.StatusBadRequest, strings.Repeat("e", 10_000)))
	c := newTestClient(t, srv.URL)

	err := c.GetJSON(t.Context(), "/x", new(any))

	assert.Equal(t, strings.Repeat("e", excerptLimit), requireError(t, err).Body)
}

func TestJSONHelpersStatusRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status  int
		wantErr bool
	}{
		{status: http.StatusOK},
		{status: http.StatusCreated},
		{status: 299},
		{status: http.StatusMultipleChoices, wantErr: true},
		// A 302 without a Location header is not followed, so net/http returns it.
		{status: http.StatusFound, wantErr: true},
		{status: http.StatusNotModified, wantErr: true},
		{status: http.StatusConflict, wantErr: true},
		{status: http.StatusNotImplemented, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			t.Parallel()
			body := `{"id":5,"title":"t"}`
			if tt.status == http.StatusNotModified {
				body = ""
			}
			srv := newTestServer(t, always(tt.status, body))
			c := newTestClient(t, srv.URL)
			helpers := map[string]func(out *note) error{
				"GetJSON": func(out *note) error { return c.GetJSON(t.Context(), "/x", out) },
				"PostJSON": func(out *note) error {
					return c.PostJSON(t.Context(), "/x", note{Title: "t"}, out)
				},
			}
			for name, helper := range helpers {
				var n note

				err := helper(&n)

				if !tt.wantErr {
					require.NoError(t, err, name)
					assert.Equal(t, note{ID: 5, Title: "t"}, n, name)
					continue
				}
				e := requireError(t, err)
				assert.Equal(t, tt.status, e.StatusCode, name)
				assert.Equal(t, body, e.Body, name)
				assert.NoError(t, e.Err, name)
				assert.Equal(t, note{}, n, name)
			}
		})
	}
}
