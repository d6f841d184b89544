package envconfig

import (
	"fmt"
	"log/slog"
)

// Redacted is the text that a [Secret] prints in place of its value.
const Redacted = "[REDACTED]"

// Secret is a string that never prints its value. Every formatting verb, [Secret.String],
// [Secret.GoString], [Secret.LogValue] and JSON or text marshalling show [Redacted], whatever
// the value and its length. [Secret.Reveal] is the only way to read it. The zero value is an
// empty secret.
type Secret string

// Reveal returns the secret's value. Call it only where the value is sent or compared.
func (s Secret) Reveal() string { return string(s) }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s == "" }

// String returns [Redacted].
func (s Secret) String() string { return Redacted }

// GoString returns [Redacted], so %#v does not print the value either.
func (s Secret) GoString() string { return Redacted }

// Format writes [Redacted] for every verb, so that %x, %q and width flags cannot show the value
// or its length.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", Redacted)
		return
	}
	fmt.Fprint(f, Redacted)
}

// LogValue implements [slog.LogValuer] and returns [Redacted].
func (s Secret) LogValue() slog.Value { return slog.StringValue(Redacted) }

// MarshalText implements [encoding.TextMarshaler] and returns [Redacted].
func (s Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// MarshalJSON implements [encoding/json.Marshaler] and returns [Redacted] as a JSON string.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }
