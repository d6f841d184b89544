package spacefile

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCutRunes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		limit int
		want  string
	}{
		{"empty", "", 4, ""},
		{"shorter", "abc", 4, "abc"},
		{"exact", "abcd", 4, "abcd"},
		{"longer", "abcde", 4, "abcd…"},
		{"two-byte runes", "ééééé", 4, "éééé…"},
		{"four-byte runes", "😀😀😀😀😀", 4, "😀😀😀😀…"},
		{"mixed widths", "aé😀bc", 4, "aé😀b…"},
		{"invalid bytes count one each", "\xff\xfe\xfd\xfc\xfb", 4, "\xff\xfe\xfd\xfc…"},
		{"incomplete sequence counts per byte", "ab\xe2\x82cd", 3, "ab\xe2…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, cutRunes(tt.in, tt.limit))
		})
	}
}

func TestExcerptFormat(t *testing.T) {
	t.Parallel()
	long := excerpt(strings.Repeat("é", 100))
	want := strings.Repeat("é", maxExcerptRunes) + "…"
	assert.Equal(t, `"`+want+`"`, fmt.Sprintf("%q", long))
	assert.Equal(t, want, fmt.Sprintf("%s", long))
	assert.Equal(t, want, fmt.Sprintf("%v", long))
	assert.Equal(t, `"a\x00b"`, fmt.Sprintf("%q", excerpt("a\x00b")))
	assert.Equal(t, `"`+strings.Repeat(`\xff`, maxExcerptRunes)+`…"`,
		fmt.Sprintf("%q", excerpt(strings.Repeat("\xff", 65))))
}
