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
