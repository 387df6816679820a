package store

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

// newID returns IDLength base64url characters from crypto/rand (96 bits), so
// ids cannot be guessed or enumerated.
func newID() (string, error) {
	b := make([]byte, IDLength*6/8)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("store: random basket id: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ValidID reports whether s has the shape of a basket id, so that handlers
// can answer 404 without a database round trip.
func ValidID(s string) bool {
	if len(s) != IDLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// IDKey is a basket id as the bytes it spells: 12 bytes instead of 16
// characters, and no pointer, so a map or cache keyed by it holds nothing
// Go's garbage collector must scan.
type IDKey [IDLength * 6 / 8]byte

// KeyOf is the IDKey of id, false when id is not a basket id's shape.
func KeyOf(id string) (IDKey, bool) {
	var k IDKey
	if !ValidID(id) {
		return k, false
	}
	_, err := base64.RawURLEncoding.Decode(k[:], []byte(id))
	return k, err == nil
}

// ID is the basket id k spells.
func (k IDKey) ID() string { return base64.RawURLEncoding.EncodeToString(k[:]) }
