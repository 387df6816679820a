package state

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// CookiePrefix starts the name of every state cookie.
const CookiePrefix = "bl_state_"

// SecurePrefix starts the name of a state cookie set with an https public
// URL: a browser accepts a __Secure- cookie only over https and marked
// Secure, so no plain-http page on a sibling host can plant one. (Not
// __Host-: that would force Path=/, and state cookies stay on the callback's path.)
const SecurePrefix = "__Secure-"

// cookieName is CookieName with SecurePrefix when secure.
func cookieName(state string, secure bool) string {
	if secure {
		return SecurePrefix + CookieName(state)
	}
	return CookieName(state)
}

// CookieName is the name of the cookie that binds state to the browser that
// clicked: CookiePrefix and the first 12 characters of the state's signature
// (its base64url part after the dot). Like the state itself, the name is new
// for every click and unknown to anyone before the state is issued. A string
// not shaped like a state is named by 12 hex digits of its SHA-256 instead,
// so a name is always a valid cookie name (Verify rejects such a state).
//
// Each click gets its own cookie, named after its own state. A single fixed
// name ("bl_state") would let a second click, in another tab and on the same
// or another basket, overwrite the first click's nonce, and the first tab's
// callback would then fail as unbound. With one name per state, two tabs
// clicking two links at once both complete. The callback finds the cookie
// from the state it received, without trusting anything in it before Verify.
func CookieName(state string) string {
	if sig, ok := signatureOf(state); ok {
		return CookiePrefix + sig[:nameLength]
	}
	return LegacyCookieName(state)
}

// signatureOf is the part of state after its last dot when that part is
// shaped like a signature (sigLength base64url characters).
func signatureOf(state string) (string, bool) {
	i := strings.LastIndexByte(state, '.')
	if i < 0 || len(state)-i-1 != sigLength || !plain(state[i+1:]) {
		return "", false
	}
	return state[i+1:], true
}

// LegacyCookieName is the name a state's cookie had before cookies were
// named after the state's signature: CookiePrefix and 12 hex digits of the
// state's SHA-256. A click made on an older basketlink whose callback comes
// to this one still carries it, for up to one state's life (DefaultTTL)
// after an upgrade: VerifyRequest accepts it. (It can go once no older
// basketlink runs.)
func LegacyCookieName(state string) string {
	sum := sha256.Sum256([]byte(state))
	return CookiePrefix + hex.EncodeToString(sum[:nameLength/2])
}

// sigLength is the length of a state's signature; nameLength how much of it
// names the state's cookie (72 bits).
const (
	sigLength  = (sha256.Size*8 + 5) / 6
	nameLength = 12
)

// Cookie is the cookie /b/{id}/go sets next to its redirect: HttpOnly,
// SameSite=Lax (so it comes back on the broker's top-level redirect to the
// callback), valid until the state expires. path is where the callback lives
// (for example "/callback"), so the cookie is not sent anywhere else; secure
// should be true when the public URL is https.
func (i *Issuer) Cookie(state string, c Claims, path string, secure bool) *http.Cookie {
	return &http.Cookie{
		Name:     cookieName(state, secure),
		Value:    c.Nonce,
		Path:     path,
		Expires:  c.Expires,
		MaxAge:   i.maxAge(c.Expires),
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	}
}

// SetCookie is Cookie(state, c, path, secure).String(), the value of the
// Set-Cookie header that sets it, and the cookie's name, which starts it.
// Every click sets one, so for a state this Issuer issued, with a plain
// nonce and path, it is spelled in one allocation; anything else goes
// through Cookie.
func (i *Issuer) SetCookie(state string, c Claims, path string, secure bool) (header, name string) {
	sig, ok := signatureOf(state)
	if !ok || !plain(c.Nonce) || !cookiePath(path) || c.Expires.Year() < 1601 || c.Expires.Year() > 9999 {
		ck := i.Cookie(state, c, path, secure)
		return ck.String(), ck.Name
	}
	var b strings.Builder
	b.Grow(len(SecurePrefix+CookiePrefix+"; Path=; Expires=; Max-Age=; HttpOnly; Secure; SameSite=Lax") +
		nameLength + len(c.Nonce) + len(path) + len(http.TimeFormat) + 20)
	if secure {
		b.WriteString(SecurePrefix)
	}
	b.WriteString(CookiePrefix)
	b.WriteString(sig[:nameLength])
	n := b.Len()
	b.WriteByte('=')
	b.WriteString(c.Nonce)
	b.WriteString("; Path=")
	b.WriteString(path)
	var buf [len(http.TimeFormat)]byte
	b.WriteString("; Expires=")
	b.Write(c.Expires.UTC().AppendFormat(buf[:0], http.TimeFormat))
	b.WriteString("; Max-Age=")
	b.Write(strconv.AppendInt(buf[:0], int64(i.maxAge(c.Expires)), 10))
	b.WriteString("; HttpOnly")
	if secure {
		b.WriteString("; Secure")
	}
	b.WriteString("; SameSite=Lax")
	header = b.String()
	return header, header[:n]
}

// maxAge is the Max-Age of a state cookie that expires at exp: the seconds
// left, at least 1.
func (i *Issuer) maxAge(exp time.Time) int {
	return max(int(exp.Sub(i.now()).Seconds()), 1)
}

// cookiePath reports whether p is a path a cookie carries as it is: not
// empty, printable ASCII, no ';'.
func cookiePath(p string) bool {
	for i := 0; i < len(p); i++ {
		if p[i] < 0x20 || p[i] >= 0x7f || p[i] == ';' {
			return false
		}
	}
	return p != ""
}

// ClearCookie deletes the state's cookie; the callback sends it once the state
// has been used, whatever the outcome.
func ClearCookie(state, path string, secure bool) *http.Cookie {
	return &http.Cookie{
		Name:     cookieName(state, secure),
		Value:    "",
		Path:     path,
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	}
}

// VerifyRequest is Verify with the cookie nonce taken from r's cookie named
// CookieName(state), with SecurePrefix when secure (as Cookie set it); a
// missing cookie verifies as an empty one (ErrUnbound, after the shape,
// signature and expiry checks).
func (i *Issuer) VerifyRequest(r *http.Request, state string, secure bool) (Claims, error) {
	// Another site on the same domain could plant a cookie of the same name:
	// any one of them carrying the nonce binds the state.
	// A cookie under the state's legacy name (LegacyCookieName) binds it too.
	var cookies []*http.Cookie
	if len(state) <= MaxLength {
		cookies = r.CookiesNamed(cookieName(state, secure))
		if legacy := LegacyCookieName(state); legacy != CookieName(state) {
			if secure {
				legacy = SecurePrefix + legacy
			}
			cookies = append(cookies, r.CookiesNamed(legacy)...)
		}
	}
	c, err := i.Verify(state, "")
	for _, ck := range cookies {
		if c2, err2 := i.Verify(state, ck.Value); err2 == nil {
			return c2, nil
		}
	}
	return c, err
}
