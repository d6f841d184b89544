package spacetest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEncodedHeaderKeepsNamesValuesAndNil(t *testing.T) {
	t.Parallel()
	long := string(make([]byte, 600)) // longer than encodeHeader's buffer on the stack
	h := http.Header{
		"X-Many":        {"a", "", "c"},
		"X-Nil":         nil,
		"X-Empty":       {},
		"X-Long":        {long},
		"X-Api-Key":     {"sk_secret"},
		"Cookie":        {"a=1", "b=2"},
		"Authorization": {"Bearer t"},
		"x-api-key":     {"not canonical, so not redacted"},
	}

	got := decodeHeader(encodeHeader(h))

	assert.Equal(t, http.Header{
		"X-Many":        {"a", "", "c"},
		"X-Nil":         nil,
		"X-Empty":       {},
		"X-Long":        {long},
		"X-Api-Key":     {"[REDACTED]"},
		"Cookie":        {"[REDACTED]", "[REDACTED]"},
		"Authorization": {"[REDACTED]"},
		"x-api-key":     {"not canonical, so not redacted"},
	}, got)
	assert.Nil(t, got["X-Nil"])
	assert.NotNil(t, got["X-Empty"])
	assert.Equal(t, 3, cap(got["X-Many"]), "each name's values are capped, as in Clone")
	assert.Empty(t, decodeHeader(encodeHeader(nil)))
	assert.NotNil(t, decodeHeader(encodeHeader(nil)))
}
