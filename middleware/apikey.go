package middleware

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"

	"github.com/spacekit/spacekit/envconfig"
)

// Header names of the two kinds of key, in the canonical form that net/http stores, so that a
// lookup is a plain map index without allocation. Header names are case-insensitive on the
// wire: net/http canonicalizes them when it reads a request.
const (
	headerAPIKey = "X-Api-Key"       // X-API-Key: the app-internal DETA_API_KEY
	headerAppKey = "X-Space-App-Key" // keys that the app's user created
)

// MaxKeyBytes is the length limit of a key. A presented key that is longer never matches, and
// [Auth] rejects a longer configured key.
const MaxKeyBytes = 4096

// stackKeyBytes is the length up to which a presented key is hashed from a buffer on the stack.
// Longer keys cost one allocation.
const stackKeyBytes = 256

// keySet contains the SHA-256 sums of the configured keys of one header, never the keys
// themselves. The zero value matches nothing. It is safe for concurrent use.
type keySet struct {
	sums [][sha256.Size]byte

	// onCompare is nil except in tests. When it is set, match calls it with the index of each
	// configured key after comparing that key, so a test can check that no key is skipped.
	onCompare func(i int)
}

// newKeySet hashes keys. An empty or oversized key is an error that names the field and the
// key's index, never its value.
func newKeySet(fn, field string, keys []envconfig.Secret) (keySet, error) {
	set := keySet{sums: make([][sha256.Size]byte, 0, len(keys))}
	for i, key := range keys {
		if key.IsZero() {
			return keySet{}, invalidOption(fn, "%s[%d] is empty: remove it or set the key",
				field, i)
		}
		if len(key.Reveal()) > MaxKeyBytes {
			return keySet{}, invalidOption(fn, "%s[%d] is longer than %d bytes: use a shorter key",
				field, i, MaxKeyBytes)
		}
		set.sums = append(set.sums, hashKey(key.Reveal()))
	}
	return set, nil
}

// matchHeader reports whether the header contains exactly one value and that value is one of the
// set's keys. A repeated header, an empty value or a value longer than [MaxKeyBytes] never
// matches.
func (s keySet) matchHeader(h http.Header, name string) bool {
	values := h[name]
	if len(values) != 1 {
		return false
	}
	return s.match(values[0])
}

// match compares the SHA-256 sum of key with the sum of every configured key in constant time.
// Hashing first gives both sides a fixed length, so the time taken does not depend on how much
// of a configured key the presented one shares, and the loop never exits early.
func (s keySet) match(key string) bool {
	if key == "" || len(key) > MaxKeyBytes {
		return false
	}
	sum := hashKey(key)
	found := 0
	for i := range s.sums {
		found |= subtle.ConstantTimeCompare(sum[:], s.sums[i][:])
		if s.onCompare != nil {
			s.onCompare(i)
		}
	}
	return found == 1
}

// len returns the number of configured keys.
func (s keySet) len() int { return len(s.sums) }

// hashKey returns the SHA-256 sum of key. A key of up to stackKeyBytes is copied to a buffer on
// the stack first, because converting a longer string to a byte slice allocates.
func hashKey(key string) [sha256.Size]byte {
	if len(key) > stackKeyBytes {
		return sha256.Sum256([]byte(key))
	}
	var buf [stackKeyBytes]byte
	n := copy(buf[:], key)
	return sha256.Sum256(buf[:n])
}
