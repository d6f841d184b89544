package main

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// maxTextBytes is the maximum size of a note's text in bytes.
const maxTextBytes = 10_000

// Note is one stored note. ShareToken is set exactly when Shared is true. Anyone who has the
// token can read the note through the web Micro's public /share/{token} page.
type Note struct {
	ID         string    `json:"id"`
	Text       string    `json:"text"`
	Created    time.Time `json:"created"`
	Shared     bool      `json:"shared"`
	ShareToken string    `json:"share_token,omitempty"`
}

// ErrNotFound reports a note id or share token that matches no note.
var ErrNotFound = errors.New("not found")

// ErrInvalidText reports note text that is blank, too long or not valid UTF-8.
var ErrInvalidText = errors.New("invalid text")

// validateText returns an error that wraps [ErrInvalidText] unless text is valid UTF-8, has a
// non-space character and fits in maxTextBytes.
func validateText(text string) error {
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("%w: text is blank: write at least one character", ErrInvalidText)
	}
	if len(text) > maxTextBytes {
		return fmt.Errorf("%w: text has %d bytes: keep it within %d bytes", ErrInvalidText,
			len(text), maxTextBytes)
	}
	if !utf8.ValidString(text) {
		return fmt.Errorf("%w: text is not valid UTF-8", ErrInvalidText)
	}
	return nil
}
