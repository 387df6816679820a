package state

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"basketlink/secret"
)

func testKey(t testing.TB, s string) secret.Key {
	t.Helper()
	k, err := secret.Load("", s+"-padding-to-make-it-at-least-32-characters")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

var t0 = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

func TestIssueVerifyRoundTrip(t *testing.T) {
	iss := &Issuer{Key: testKey(t, "a"), Now: fixedClock(t0)}
	st, c, err := iss.Issue("AbCdEfGhIjKlMnOp")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$`).MatchString(st) {
		t.Fatalf("state %q is not base64url.base64url", st)
	}
	if len(st) > 200 {
		t.Errorf("state is %d characters long", len(st))
	}
	if c.BasketID != "AbCdEfGhIjKlMnOp" || !c.Expires.Equal(t0.Add(DefaultTTL)) {
		t.Fatalf("claims %+v", c)
	}
	if raw, err := base64.RawURLEncoding.DecodeString(c.Nonce); err != nil || len(raw) != 16 {
		t.Fatalf("nonce %q is not base64url of 16 bytes", c.Nonce)
	}
	got, err := iss.Verify(st, c.Nonce)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if got.BasketID != c.BasketID || got.Nonce != c.Nonce || !got.Expires.Equal(c.Expires) {
		t.Fatalf("Verify = %+v, want %+v", got, c)
	}
	// Verify consumes nothing: a second call agrees.
	if _, err := iss.Verify(st, c.Nonce); err != nil {
		t.Fatalf("second Verify: %v", err)
	}
	// The last valid second, then the first expired one.
	iss.Now = fixedClock(c.Expires.Add(-time.Second))
	if _, err := iss.Verify(st, c.Nonce); err != nil {
		t.Fatalf("Verify one second before expiry: %v", err)
	}
}

func TestIssueDiffers(t *testing.T) {
	iss := &Issuer{Key: testKey(t, "a")}
	seen := map[string]bool{}
	for range 100 {
		st, c, err := iss.Issue("basket")
		if err != nil {
			t.Fatal(err)
		}
		if seen[st] || seen[c.Nonce] {
			t.Fatal("two issues gave the same state or nonce")
		}
		seen[st], seen[c.Nonce] = true, true
	}
}

func TestIssueRefuses(t *testing.T) {
	if _, _, err := (&Issuer{}).Issue("basket"); err == nil {
		t.Fatal("Issue with a zero key succeeded")
	}
	if _, _, err := (&Issuer{Key: testKey(t, "a")}).Issue(""); err == nil {
		t.Fatal("Issue for an empty basket id succeeded")
	}
	if _, _, err := (&Issuer{Key: testKey(t, "a")}).Issue(strings.Repeat("x", MaxBasketID+1)); err == nil {
		t.Fatal("Issue for an overlong basket id succeeded")
	}
	if _, _, err := (&Issuer{Key: testKey(t, "a")}).Issue("bad\xff"); err == nil {
		t.Fatal("Issue for a basket id that is not UTF-8 succeeded")
	}
	// The longest basket id still gives a state that verifies.
	iss := &Issuer{Key: testKey(t, "a")}
	st, c, err := iss.Issue(strings.Repeat("\x01", MaxBasketID)) // each escapes to 6 bytes of JSON
	if err != nil {
		t.Fatal(err)
	}
	if _, err := iss.Verify(st, c.Nonce); err != nil {
		t.Fatalf("longest basket id (%d chars of state): %v", len(st), err)
	}
}

func TestTTL(t *testing.T) {
	iss := &Issuer{Key: testKey(t, "a"), TTL: 2 * time.Minute, Now: fixedClock(t0)}
	st, c, _ := iss.Issue("b")
	if !c.Expires.Equal(t0.Add(2 * time.Minute)) {
		t.Fatalf("expires %v", c.Expires)
	}
	iss.Now = fixedClock(t0.Add(2 * time.Minute))
	if _, err := iss.Verify(st, c.Nonce); !errors.Is(err, ErrExpired) {
		t.Fatalf("at expiry: %v, want ErrExpired", err)
	}
}

// flip changes one character in the middle of a base64url string.
func flip(s string) string {
	i := len(s) / 2
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

func TestVerifyErrors(t *testing.T) {
	key := testKey(t, "a")
	iss := &Issuer{Key: key, Now: fixedClock(t0)}
	st, c, err := iss.Issue("AbCdEfGhIjKlMnOp")
	if err != nil {
		t.Fatal(err)
	}
	body, sig, _ := strings.Cut(st, ".")

	// A payload changed to another basket, re-encoded, with the old signature.
	raw, _ := base64.RawURLEncoding.DecodeString(body)
	otherBasket := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(raw), "AbCdEf", "XbCdEf", 1)))
	other, otherClaims, _ := (&Issuer{Key: testKey(t, "b"), Now: fixedClock(t0)}).Issue("AbCdEfGhIjKlMnOp")
	// A signature whose final character differs only in the unused bits.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	lastBits := sig[:len(sig)-1] + string(alphabet[strings.IndexByte(alphabet, sig[len(sig)-1])^1])

	tests := []struct {
		name        string
		state       string
		cookie      string
		now         time.Time
		want        error
		wantMessage string
	}{
		{"documented round trip", st, c.Nonce, t0, nil, ""},
		{"payload changed", otherBasket + "." + sig, c.Nonce, t0, ErrBadSignature, ""},
		{"payload char flipped", flip(body) + "." + sig, c.Nonce, t0, ErrBadSignature, ""},
		{"signature flipped", body + "." + flip(sig), c.Nonce, t0, ErrBadSignature, ""},
		{"signature swapped", body + "." + strings.Split(other, ".")[1], c.Nonce, t0, ErrBadSignature, ""},
		{"other key", other, otherClaims.Nonce, t0, ErrBadSignature, ""},
		{"expired", st, c.Nonce, t0.Add(DefaultTTL), ErrExpired, "expired"},
		{"long expired", st, c.Nonce, t0.Add(48 * time.Hour), ErrExpired, ""},
		{"expired and unbound: expiry first", st, "", t0.Add(time.Hour), ErrExpired, ""},
		{"bad signature and expired: signature first", flip(body) + "." + sig, c.Nonce, t0.Add(time.Hour), ErrBadSignature, ""},
		{"empty cookie", st, "", t0, ErrUnbound, "browser"},
		{"wrong cookie", st, otherClaims.Nonce, t0, ErrUnbound, ""},
		{"cookie with extra char", st, c.Nonce + "x", t0, ErrUnbound, ""},
		{"cookie prefix", st, c.Nonce[:10], t0, ErrUnbound, ""},
		{"empty", "", c.Nonce, t0, ErrMalformed, ""},
		{"garbage", "garbage", c.Nonce, t0, ErrMalformed, ""},
		{"no dot", body + sig, c.Nonce, t0, ErrMalformed, ""},
		{"two dots", st + ".x", c.Nonce, t0, ErrMalformed, ""},
		{"empty payload", "." + sig, c.Nonce, t0, ErrMalformed, ""},
		{"short signature", body + "." + sig[:40], c.Nonce, t0, ErrMalformed, ""},
		{"padded base64", body + "=." + sig, c.Nonce, t0, ErrMalformed, ""},
		{"std base64 chars", strings.ReplaceAll(body, "-", "+") + "+/." + sig, c.Nonce, t0, ErrMalformed, ""},
		{"non-canonical final char", body + "." + lastBits, c.Nonce, t0, ErrMalformed, ""},
		{"too long", strings.Repeat("A", MaxLength) + "." + sig, c.Nonce, t0, ErrMalformed, ""},
		{"unicode", "é." + sig, c.Nonce, t0, ErrMalformed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iss.Now = fixedClock(tt.now)
			got, err := iss.Verify(tt.state, tt.cookie)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Verify: %v, want %v", err, tt.want)
			}
			// Signed names the basket of a state that is ours, whatever
			// else is wrong with it, and of no other.
			id, ok := iss.Signed(tt.state)
			signed := tt.want == nil || tt.want == ErrExpired || tt.want == ErrUnbound
			if ok != signed || (ok && id != "AbCdEfGhIjKlMnOp") || (!ok && id != "") {
				t.Errorf("Signed = %q, %v; want ok %v", id, ok, signed)
			}
			if err != nil {
				if got != (Claims{}) {
					t.Errorf("claims %+v returned with error", got)
				}
				if strings.Contains(err.Error(), tt.state) && tt.state != "" {
					t.Errorf("error echoes the state: %v", err)
				}
				if !strings.Contains(err.Error(), tt.wantMessage) {
					t.Errorf("error %q does not say %q", err, tt.wantMessage)
				}
			}
		})
	}
}

// A state signed with the right key over a payload that is not ours is still
// malformed, and a zero-key Issuer verifies nothing.
func TestVerifySignedJunkAndZeroKey(t *testing.T) {
	key := testKey(t, "a")
	iss := &Issuer{Key: key, Now: fixedClock(t0)}
	for _, body := range []string{`not json`, `{"b":"","n":"x","e":9999999999}`, `{"b":"x","n":"","e":9999999999}`, `[]`} {
		st := base64.RawURLEncoding.EncodeToString([]byte(body)) + "." + base64.RawURLEncoding.EncodeToString(key.MAC([]byte(body)))
		if _, err := iss.Verify(st, "x"); !errors.Is(err, ErrMalformed) {
			t.Errorf("signed %s: %v, want ErrMalformed", body, err)
		}
	}
	st, c, _ := iss.Issue("b")
	if _, err := (&Issuer{}).Verify(st, c.Nonce); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("zero-key Verify: %v, want ErrBadSignature", err)
	}
}

func FuzzVerify(f *testing.F) {
	iss := &Issuer{Key: testKey(f, "a"), Now: fixedClock(t0)}
	st, c, _ := iss.Issue("AbCdEfGhIjKlMnOp")
	for _, s := range []string{st, "", ".", "..", "a.b", st + st, flip(st), strings.Repeat(".", 50)} {
		f.Add(s, c.Nonce)
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, state, cookie string) {
		got, err := iss.Verify(state, cookie)
		if err == nil {
			// Only a state this key signed can pass.
			if got.BasketID == "" || got.Nonce != cookie || !got.Expires.After(t0) {
				t.Fatalf("accepted %q with claims %+v", state, got)
			}
			return
		}
		if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrBadSignature) && !errors.Is(err, ErrExpired) && !errors.Is(err, ErrUnbound) {
			t.Fatalf("unexpected error %v", err)
		}
	})
}

func BenchmarkIssue(b *testing.B) {
	iss := &Issuer{Key: testKey(b, "a")}
	for b.Loop() {
		if _, _, err := iss.Issue("AbCdEfGhIjKlMnOp"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	iss := &Issuer{Key: testKey(b, "a")}
	st, c, _ := iss.Issue("AbCdEfGhIjKlMnOp")
	for b.Loop() {
		if _, err := iss.Verify(st, c.Nonce); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPayloadEncode: the hand-written payload is json.Marshal's, byte for byte.
func TestPayloadEncode(t *testing.T) {
	for _, p := range []payload{
		{B: "AbCdEfGhIjKlMnOp", N: "n0-_Z", E: 1764400000},
		{B: "a", N: "", E: -1},
		{B: "<b>&\"quoted\"\\", N: "x", E: 0},
		{B: "नमस्ते", N: "\u2028", E: 1<<62 + 5},
		{B: "tab\there", N: "AAAA", E: 42},
	} {
		want, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.appendTo(nil)
		if err != nil || string(got) != string(want) {
			t.Fatalf("encode(%+v) = %s, %v; json.Marshal: %s", p, got, err, want)
		}
	}
}
