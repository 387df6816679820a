// Package state issues and verifies the OAuth state of one click on a shared
// basket link.
//
// A state is base64url(payload) "." base64url(HMAC-SHA256(payload)), the payload
// being JSON {"b": basket id, "n": nonce, "e": expiry in unix seconds}. The nonce
// (128 random bits) is also set in a cookie on the browser that clicked, so a
// state only works in that browser (no login CSRF), and the callback claims the
// nonce in the store so a state works once. Verify itself consumes nothing.
package state

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"basketlink/secret"
)

// DefaultTTL is how long a state lives when Issuer.TTL is zero.
const DefaultTTL = 15 * time.Minute

// MaxLength bounds the state strings Verify looks at; real ones are about
// 120 characters.
const MaxLength = 1024

// MaxBasketID bounds the basket id a state carries, so that every state
// stays well under MaxLength.
const MaxBasketID = 64

// Errors of Verify, safe to show to the user.
var (
	ErrMalformed    = errors.New("state: malformed")
	ErrBadSignature = errors.New("state: signature does not match")
	ErrExpired      = errors.New("state: expired, start again from the basket link")
	ErrUnbound      = errors.New("state: not issued to this browser (state cookie missing or different)")
)

// b64 is strict so that each state has one spelling: no padding, no
// non-zero unused bits in the final character.
var b64 = base64.RawURLEncoding.Strict()

// Issuer signs and checks states. Key must be loaded; TTL 0 means DefaultTTL;
// Now nil means time.Now.
type Issuer struct {
	Key secret.Key
	TTL time.Duration
	Now func() time.Time
}

// Claims is what a state says.
type Claims struct {
	BasketID string
	Nonce    string // base64url of 16 random bytes; the cookie holds it too
	Expires  time.Time
}

type payload struct {
	B string `json:"b"`
	N string `json:"n"`
	E int64  `json:"e"`
}

// appendTo appends json.Marshal(p) to dst, written by hand when no character
// of p needs escaping (a saved basket's id never does): a click issues a state.
func (p payload) appendTo(dst []byte) ([]byte, error) {
	if !plain(p.B) || !plain(p.N) {
		b, err := json.Marshal(p)
		return append(dst, b...), err
	}
	dst = append(dst, `{"b":"`...)
	dst = append(dst, p.B...)
	dst = append(dst, `","n":"`...)
	dst = append(dst, p.N...)
	dst = append(dst, `","e":`...)
	dst = strconv.AppendInt(dst, p.E, 10)
	return append(dst, '}'), nil
}

// plain reports whether s is only letters, digits, '-' and '_'.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func (i *Issuer) now() time.Time {
	if i.Now != nil {
		return i.Now()
	}
	return time.Now()
}

// Issue returns a fresh state for one click on the basket's link and its
// claims (the nonce for the cookie, the expiry for the cookie's lifetime).
func (i *Issuer) Issue(basketID string) (string, Claims, error) {
	if i.Key.IsZero() {
		return "", Claims{}, errors.New("state: issue: no secret key")
	}
	if basketID == "" || len(basketID) > MaxBasketID || !utf8.ValidString(basketID) {
		return "", Claims{}, fmt.Errorf("state: issue: basket id must be 1 to %d bytes of UTF-8", MaxBasketID)
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", Claims{}, fmt.Errorf("state: issue: random nonce: %w", err)
	}
	ttl := i.TTL
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	c := Claims{
		BasketID: basketID,
		Nonce:    b64.EncodeToString(raw[:]),
		Expires:  i.now().Add(ttl).Truncate(time.Second),
	}
	// The body and its MAC share one buffer (the hash, behind an interface,
	// keeps both off the stack) and the state is spelled on the stack (about
	// 120 bytes for a saved basket's id; a longer one grows onto the heap):
	// a click makes one buffer and the two strings it hands out.
	buf := make([]byte, 0, 128+sha256.Size)
	body, err := payload{B: c.BasketID, N: c.Nonce, E: c.Expires.Unix()}.appendTo(buf)
	if err != nil {
		return "", Claims{}, fmt.Errorf("state: issue: %w", err)
	}
	mac := i.Key.AppendMAC(body[len(body):len(body)], body)
	var out [256]byte
	st := b64.AppendEncode(out[:0], body)
	st = append(st, '.')
	st = b64.AppendEncode(st, mac)
	return string(st), c, nil
}

// Verify checks a state, in this order: its shape (ErrMalformed), its signature
// (ErrBadSignature), its expiry (ErrExpired) and that cookieNonce, the value of
// the cookie named CookieName(state), is the nonce it carries (ErrUnbound, also
// for an empty cookieNonce). It does not consume the state: the caller claims
// Claims.Nonce in the store afterwards.
func (i *Issuer) Verify(state, cookieNonce string) (Claims, error) {
	c, err := i.open(state)
	if err != nil {
		return Claims{}, err
	}
	if !i.now().Before(c.Expires) {
		return Claims{}, ErrExpired
	}
	if cookieNonce == "" || subtle.ConstantTimeCompare([]byte(cookieNonce), []byte(c.Nonce)) != 1 {
		return Claims{}, ErrUnbound
	}
	return c, nil
}

// Signed returns the basket id a state names when its shape and signature
// check out, expired or not, bound to this browser or not: this server
// issued it for that basket. It is only good for pointing a person whose
// state failed Verify back to the basket (its id is no secret: the state
// carries it readably); it proves nothing about the person.
func (i *Issuer) Signed(state string) (basketID string, ok bool) {
	c, err := i.open(state)
	return c.BasketID, err == nil
}

// open checks a state's shape and signature and reads its claims.
func (i *Issuer) open(state string) (Claims, error) {
	if len(state) > MaxLength {
		return Claims{}, ErrMalformed
	}
	encBody, encSig, ok := strings.Cut(state, ".")
	if !ok || encBody == "" || b64.EncodedLen(sha256.Size) != len(encSig) {
		return Claims{}, ErrMalformed
	}
	body, err := b64.DecodeString(encBody)
	if err != nil {
		return Claims{}, ErrMalformed
	}
	sig, err := b64.DecodeString(encSig)
	if err != nil || len(sig) != sha256.Size {
		return Claims{}, ErrMalformed
	}
	// Any of the keys: a state signed before a key rotation still works.
	if !i.Key.VerifyMAC(body, sig) {
		return Claims{}, ErrBadSignature
	}
	var p payload
	if err := json.Unmarshal(body, &p); err != nil || p.B == "" || p.N == "" {
		return Claims{}, ErrMalformed
	}
	return Claims{BasketID: p.B, Nonce: p.N, Expires: time.Unix(p.E, 0)}, nil
}
