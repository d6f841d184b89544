package redact_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/spacekit/spacekit/internal/redact"
)

// holder has a key that its default formatting would print.
type holder struct{ key []byte }

func (h holder) String() string                { return "holder{key: [REDACTED]}" }
func (h holder) GoString() string              { return "&holder{key: [REDACTED]}" }
func (h holder) Format(f fmt.State, verb rune) { redact.Format(f, verb, h) }

func TestFormatEveryVerb(t *testing.T) {
	h := holder{key: []byte("sk-secret")}
	tests := []struct {
		format string
		want   string
	}{
		{"%v", "holder{key: [REDACTED]}"},
		{"%+v", "holder{key: [REDACTED]}"},
		{"%#v", "&holder{key: [REDACTED]}"},
		{"%s", "holder{key: [REDACTED]}"},
		{"%q", `"holder{key: [REDACTED]}"`},
		{"%d", "holder{key: [REDACTED]}"},
		{"%x", "holder{key: [REDACTED]}"},
		{"%10.3v", "holder{key: [REDACTED]}"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, fmt.Sprintf(tt.format, h), tt.format)
	}
}
