package spacefile

import (
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// maxExcerptRunes bounds the part of a Spacefile value that a problem quotes. A value of
// megabytes must not make a problem of megabytes, and 64 runes are enough to find the value
// on the problem's line.
const maxExcerptRunes = 64

// maxForeignMessageRunes bounds a message that the YAML or cron parser wrote, which may quote
// a value of any length, such as an anchor's name.
const maxForeignMessageRunes = 4 * maxExcerptRunes

// excerpt is a value from a Spacefile as a problem quotes it. fmt prints at most its first
// maxExcerptRunes runes, followed by "…" when it is longer, with %q inside the quotes.
type excerpt string

// Format writes the excerpt for the verbs %s, %v and %q.
func (e excerpt) Format(f fmt.State, verb rune) {
	text := cutRunes(string(e), maxExcerptRunes)
	if verb == 'q' {
		text = strconv.Quote(text)
	}
	_, _ = io.WriteString(f, text)
}

// cutRunes returns s when it has at most limit runes, and otherwise its first limit runes
// followed by "…". It counts an invalid UTF-8 byte as one rune, as a range loop does, so the
// cut never splits a valid UTF-8 sequence and keeps invalid bytes as they were.
func cutRunes(s string, limit int) string {
	end, runes := 0, 0
	for end < len(s) && runes < limit {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
		runes++
	}
	if end == len(s) {
		return s
	}
	return s[:end] + "…"
}
