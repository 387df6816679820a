package state

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestCookieName(t *testing.T) {
	iss := &Issuer{Key: testKey(t, "a")}
	a, _, _ := iss.Issue("b")
	b, _, _ := iss.Issue("b")
	if CookieName(a) != CookieName(a) || CookieName(a) == CookieName(b) {
		t.Fatal("CookieName not stable per state or not distinct across states")
	}
	if !regexp.MustCompile(`^bl_state_[0-9A-Za-z_-]{12}$`).MatchString(CookieName(a)) {
		t.Fatalf("cookie name %q", CookieName(a))
	}
	if sig := a[strings.LastIndexByte(a, '.')+1:]; CookieName(a) != "bl_state_"+sig[:12] {
		t.Fatalf("cookie name %q is not after the signature %q", CookieName(a), sig)
	}
	// Strings not shaped like a state still get a valid, distinct name.
	seen := map[string]string{}
	for _, s := range []string{"", ".", "x", a + "=", a[:len(a)-1], strings.Replace(a, a[len(a)-2:], "!;", 1), "a.b c", "\x00;="} {
		name := CookieName(s)
		if !regexp.MustCompile(`^bl_state_[0-9a-f]{12}$`).MatchString(name) {
			t.Errorf("CookieName(%q) = %q, want 12 hex digits", s, name)
		}
		if other, ok := seen[name]; ok {
			t.Errorf("CookieName(%q) = CookieName(%q) = %q", s, other, name)
		}
		seen[name] = s
	}
}

func TestCookieAttributes(t *testing.T) {
	iss := &Issuer{Key: testKey(t, "a"), Now: fixedClock(t0)}
	st, c, _ := iss.Issue("b")
	ck := iss.Cookie(st, c, "/callback", true)
	if ck.Name != "__Secure-"+CookieName(st) || ck.Value != c.Nonce || ck.Path != "/callback" || !ck.HttpOnly || !ck.Secure ||
		ck.SameSite != http.SameSiteLaxMode || ck.MaxAge != int(DefaultTTL.Seconds()) || !ck.Expires.Equal(c.Expires) {
		t.Fatalf("cookie %+v", ck)
	}
	if err := ck.Valid(); err != nil {
		t.Fatalf("cookie not valid: %v", err)
	}
	clear := ClearCookie(st, "/callback", true)
	if clear.Name != ck.Name || clear.MaxAge >= 0 || clear.Value != "" {
		t.Fatalf("clear cookie %+v", clear)
	}
}

// newFlow serves /b/{id}/go, which sets the state cookie and redirects to
// /callback?state=..., and /callback, which answers "ok <basket>" or the error.
func newFlow(t *testing.T, iss *Issuer) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /b/{id}/go", func(w http.ResponseWriter, r *http.Request) {
		st, c, err := iss.Issue(r.PathValue("id"))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		http.SetCookie(w, iss.Cookie(st, c, "/callback", false))
		// Stands in for the broker: hand the state to the test instead of
		// redirecting, so the test picks when each callback happens.
		fmt.Fprint(w, st)
	})
	mux.HandleFunc("GET /callback", func(w http.ResponseWriter, r *http.Request) {
		st := r.URL.Query().Get("state")
		c, err := iss.VerifyRequest(r, st, false)
		http.SetCookie(w, ClearCookie(st, "/callback", false))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprint(w, "ok "+c.BasketID)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, client *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// Two tabs of one browser click two links, then both come back: both work,
// because each click has its own cookie.
func TestTwoTabsBothComplete(t *testing.T) {
	iss := &Issuer{Key: testKey(t, "a")}
	srv := newFlow(t, iss)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}

	_, stateA := get(t, browser, srv.URL+"/b/basketA/go")
	_, stateB := get(t, browser, srv.URL+"/b/basketB/go")
	_, stateA2 := get(t, browser, srv.URL+"/b/basketA/go") // a second click on the same link

	for _, tc := range []struct{ state, want string }{{stateB, "ok basketB"}, {stateA, "ok basketA"}, {stateA2, "ok basketA"}} {
		code, body := get(t, browser, srv.URL+"/callback?state="+tc.state)
		if code != 200 || body != tc.want {
			t.Fatalf("callback: %d %q, want 200 %q", code, body, tc.want)
		}
	}
	// The callback cleared each cookie: a replay from this browser is unbound.
	code, body := get(t, browser, srv.URL+"/callback?state="+stateA)
	if code != 400 || !strings.Contains(body, ErrUnbound.Error()) {
		t.Fatalf("replay after clear: %d %q", code, body)
	}
}

// A state issued to one browser does not work in another (login CSRF).
func TestStateFromAnotherBrowserIsUnbound(t *testing.T) {
	iss := &Issuer{Key: testKey(t, "a")}
	srv := newFlow(t, iss)
	attackerJar, _ := cookiejar.New(nil)
	victimJar, _ := cookiejar.New(nil)
	attacker := &http.Client{Jar: attackerJar}
	victim := &http.Client{Jar: victimJar}

	_, st := get(t, attacker, srv.URL+"/b/basketA/go")
	_, _ = get(t, victim, srv.URL+"/b/basketA/go") // the victim has a cookie of their own
	code, body := get(t, victim, srv.URL+"/callback?state="+st)
	if code != 400 || !strings.Contains(body, ErrUnbound.Error()) {
		t.Fatalf("foreign state: %d %q, want 400 unbound", code, body)
	}
}

func TestVerifyRequestChecksStateFirst(t *testing.T) {
	iss := &Issuer{Key: testKey(t, "a")}
	r := httptest.NewRequest("GET", "/callback", nil)
	if _, err := iss.VerifyRequest(r, "garbage", false); !errors.Is(err, ErrMalformed) {
		t.Fatalf("garbage without cookie: %v, want ErrMalformed", err)
	}
	if _, err := iss.VerifyRequest(r, strings.Repeat("x", 10*MaxLength), false); !errors.Is(err, ErrMalformed) {
		t.Fatalf("huge state: %v, want ErrMalformed", err)
	}
}

func TestVerifyRequestWithPlantedCookie(t *testing.T) {
	iss := &Issuer{Key: testKey(t, "planted")}
	st, c, err := iss.Issue("basket1")
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/callback", nil)
	r.AddCookie(&http.Cookie{Name: CookieName(st), Value: "planted-by-a-sibling-site"})
	r.AddCookie(&http.Cookie{Name: CookieName(st), Value: c.Nonce})
	if got, err := iss.VerifyRequest(r, st, false); err != nil || got.Nonce != c.Nonce {
		t.Fatalf("a planted cookie first broke the binding: %v", err)
	}
	r = httptest.NewRequest(http.MethodGet, "/callback", nil)
	r.AddCookie(&http.Cookie{Name: CookieName(st), Value: "planted-by-a-sibling-site"})
	if _, err := iss.VerifyRequest(r, st, false); !errors.Is(err, ErrUnbound) {
		t.Fatal("a planted cookie alone bound the state")
	}
	// With an https public URL only the __Secure- cookie binds: an unprefixed
	// one may come from a plain-http sibling host.
	r = httptest.NewRequest(http.MethodGet, "/callback", nil)
	r.AddCookie(&http.Cookie{Name: CookieName(st), Value: c.Nonce})
	if _, err := iss.VerifyRequest(r, st, true); !errors.Is(err, ErrUnbound) {
		t.Fatal("an unprefixed cookie bound the state in secure mode")
	}
	r.AddCookie(&http.Cookie{Name: SecurePrefix + CookieName(st), Value: c.Nonce})
	if got, err := iss.VerifyRequest(r, st, true); err != nil || got.Nonce != c.Nonce {
		t.Fatalf("the __Secure- cookie did not bind the state: %v", err)
	}
}

// TestVerifyRequestLegacyName: a click made on a basketlink that named the
// cookie by the state's SHA-256 still completes here; under https only the
// __Secure- form of that name binds; another name binds nothing.
func TestVerifyRequestLegacyName(t *testing.T) {
	iss := &Issuer{Key: testKey(t, "legacy")}
	st, c, err := iss.Issue("basket1")
	if err != nil {
		t.Fatal(err)
	}
	if LegacyCookieName(st) == CookieName(st) || !regexp.MustCompile(`^bl_state_[0-9a-f]{12}$`).MatchString(LegacyCookieName(st)) {
		t.Fatalf("legacy name %q, name %q", LegacyCookieName(st), CookieName(st))
	}
	for _, tt := range []struct {
		name   string
		secure bool
		want   error
	}{
		{LegacyCookieName(st), false, nil},
		{SecurePrefix + LegacyCookieName(st), true, nil},
		{LegacyCookieName(st), true, ErrUnbound},
		{"bl_state_000000000000", false, ErrUnbound},
	} {
		r := httptest.NewRequest(http.MethodGet, "/callback", nil)
		r.AddCookie(&http.Cookie{Name: tt.name, Value: c.Nonce})
		if got, err := iss.VerifyRequest(r, st, tt.secure); !errors.Is(err, tt.want) || (err == nil && got.Nonce != c.Nonce) {
			t.Errorf("cookie %s (secure %v): %v, want %v", tt.name, tt.secure, err, tt.want)
		}
	}
}

// SetCookie spells the same header as Cookie(...).String(), with the same
// name, whether it takes its own path or Cookie's.
func TestSetCookieIsCookieString(t *testing.T) {
	iss := &Issuer{Key: testKey(t, "a"), Now: fixedClock(t0)}
	st, c, err := iss.Issue("AbCdEfGhIjKlMnOp")
	if err != nil {
		t.Fatal(err)
	}
	odd, oddClaims, _ := iss.Issue("नमस्ते <b>")
	late := c
	late.Expires = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	gone := c
	gone.Expires = t0.Add(-time.Hour)
	quoted := c
	quoted.Nonce = `a b;"c`
	far := c // 200 days and 0.999999999 s ahead: Max-Age counted the same way as Cookie counts it
	far.Expires = t0.Add(200*24*time.Hour + 999_999_999)
	for _, tc := range []struct {
		state string
		c     Claims
		path  string
	}{
		{st, c, "/callback"},
		{st, c, "/deep/er/callback"},
		{odd, oddClaims, "/callback"},
		{st, late, "/callback"},
		{st, gone, "/callback"},
		{st, quoted, "/callback"},
		{st, c, ""},
		{st, c, "/a;b"},
		{st, c, "/caf\u00e9"},
		{"not a state", c, "/callback"},
		{st + "x", c, "/callback"},
		{st[:strings.LastIndexByte(st, '.')+1] + strings.Repeat("!", sigLength), c, "/callback"},
		{st, far, "/callback"},
	} {
		for _, secure := range []bool{false, true} {
			ck := iss.Cookie(tc.state, tc.c, tc.path, secure)
			header, name := iss.SetCookie(tc.state, tc.c, tc.path, secure)
			if header != ck.String() || name != ck.Name {
				t.Errorf("SetCookie(%q, %+v, %q, %v) = %q, %q; Cookie: %q, %q", tc.state, tc.c, tc.path, secure, header, name, ck.String(), ck.Name)
			}
		}
	}
}
