// Package secret holds basketlink's secret key: it signs OAuth states and
// encrypts the access tokens kept in the database.
//
// The setting may hold several keys, to rotate without breaking what the old
// key made: the first key signs and seals, every key verifies and opens. Put
// a new key first, keep the old one after it until its states have expired
// and its stored tokens are no longer needed, then drop it.
//
// The key comes from BASKETLINK_SECRET_KEY when that is set, else from the file
// secret.key in the data directory, generated on first use. Either way the text
// is the input keying material, so the contents of a generated secret.key can be
// moved into BASKETLINK_SECRET_KEY and every state and stored token stays valid.
// Two subkeys are derived from it with HKDF-SHA256, one per purpose, so a MAC
// can never be confused with a ciphertext.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"log/slog"
	"sync"
)

// MinLength is the shortest BASKETLINK_SECRET_KEY accepted, in characters.
const MinLength = 32

const (
	sealInfo = "basketlink token encryption"
	macInfo  = "basketlink state"

	// sealVersion prefixes every sealed value so a later key rotation can
	// tell the formats apart.
	sealVersion = 1
)

// ErrZeroKey is returned by Seal and Open on a Key that was not loaded.
var ErrZeroKey = errors.New("secret: key not loaded")

// Key is the loaded secret key, with the older keys still accepted. Its zero
// value holds no key: Seal and Open fail, MAC returns nil and VerifyMAC false.
// It never prints: every fmt verb, String, GoString and slog give "[redacted]".
type Key struct {
	k   *keys   // the current key: signs and seals
	old []*keys // older keys, still verified and opened
}

type keys struct {
	aead cipher.AEAD
	mac  []byte
	// macs holds HMACs keyed with mac, ready for Reset: making one hashes
	// the key twice, a third of a state's cost.
	macs sync.Pool
}

const redacted = "[redacted]"

// newKey derives the subkeys of each key from its input keying material; the
// first is the current one.
func newKey(ikms ...[]byte) (Key, error) {
	if len(ikms) == 0 {
		return Key{}, errors.New("secret: no key")
	}
	var k Key
	for i, ikm := range ikms {
		ks, err := deriveKeys(ikm)
		if err != nil {
			return Key{}, err
		}
		if i == 0 {
			k.k = ks
		} else {
			k.old = append(k.old, ks)
		}
	}
	return k, nil
}

// Len is how many keys k holds: the current one and the older ones.
func (k Key) Len() int {
	if k.k == nil {
		return 0
	}
	return 1 + len(k.old)
}

func deriveKeys(ikm []byte) (*keys, error) {
	sealKey, err := hkdf.Key(sha256.New, ikm, nil, sealInfo, 32)
	if err != nil {
		return nil, fmt.Errorf("secret: derive encryption key: %w", err)
	}
	macKey, err := hkdf.Key(sha256.New, ikm, nil, macInfo, 32)
	if err != nil {
		return nil, fmt.Errorf("secret: derive state key: %w", err)
	}
	block, err := aes.NewCipher(sealKey)
	if err != nil {
		return nil, fmt.Errorf("secret: AES: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret: GCM: %w", err)
	}
	return &keys{aead: aead, mac: macKey}, nil
}

// IsZero reports whether k holds no key.
func (k Key) IsZero() bool { return k.k == nil }

// Seal encrypts plaintext with AES-256-GCM under a fresh random nonce. The
// result is a version byte, the nonce and the ciphertext with its tag.
func (k Key) Seal(plaintext []byte) ([]byte, error) {
	if k.k == nil {
		return nil, ErrZeroKey
	}
	ns := k.k.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plaintext)+k.k.aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("secret: seal: random nonce: %w", err)
	}
	return k.k.aead.Seal(out, out[1:1+ns], plaintext, nil), nil
}

// Open decrypts what Seal produced under any of k's keys. It fails for data
// sealed under another key, for any change to the sealed bytes, and for
// anything too short.
func (k Key) Open(sealed []byte) ([]byte, error) {
	if k.k == nil {
		return nil, ErrZeroKey
	}
	ns := k.k.aead.NonceSize()
	if len(sealed) < 1+ns+k.k.aead.Overhead() {
		return nil, errors.New("secret: open: sealed data too short")
	}
	if sealed[0] != sealVersion {
		return nil, fmt.Errorf("secret: open: unknown format version %d", sealed[0])
	}
	for _, ks := range k.all() {
		if plain, err := ks.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], nil); err == nil {
			return plain, nil
		}
	}
	return nil, errors.New("secret: open: data was changed or sealed under another key")
}

// MAC returns the HMAC-SHA256 of msg under the current key's state subkey (32
// bytes). On the zero Key it returns nil, which no caller may accept as a
// valid MAC.
func (k Key) MAC(msg []byte) []byte {
	if k.k == nil {
		return nil
	}
	return k.k.appendMAC(make([]byte, 0, sha256.Size), msg)
}

// AppendMAC is MAC appending to dst (so a caller can keep it on its stack);
// on the zero Key it returns dst as it is.
func (k Key) AppendMAC(dst, msg []byte) []byte {
	if k.k == nil {
		return dst
	}
	return k.k.appendMAC(dst, msg)
}

// VerifyMAC reports whether mac is the MAC of msg under any of k's keys, in
// constant time for each.
func (k Key) VerifyMAC(msg, mac []byte) bool {
	ok := false
	for _, ks := range k.all() {
		var sum [sha256.Size]byte
		if hmac.Equal(mac, ks.appendMAC(sum[:0], msg)) {
			ok = true
		}
	}
	return ok
}

func (k Key) all() []*keys {
	if k.k == nil {
		return nil
	}
	return append([]*keys{k.k}, k.old...)
}

func (ks *keys) appendMAC(dst, msg []byte) []byte {
	h, ok := ks.macs.Get().(hash.Hash)
	if ok {
		h.Reset()
	} else {
		h = hmac.New(sha256.New, ks.mac)
	}
	h.Write(msg)
	dst = h.Sum(dst)
	ks.macs.Put(h)
	return dst
}

// String implements fmt.Stringer.
func (Key) String() string { return redacted }

// GoString implements fmt.GoStringer (%#v).
func (Key) GoString() string { return redacted }

// Format implements fmt.Formatter so that no verb (%x, %d, ...) prints the key.
func (Key) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// LogValue implements slog.LogValuer.
func (Key) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText keeps the key out of JSON and other encoders.
func (Key) MarshalText() ([]byte, error) { return []byte(redacted), nil }
