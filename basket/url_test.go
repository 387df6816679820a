package basket

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestOrderConnectURL(t *testing.T) {
	l := Link{ClientID: "MY KEY", RedirectURI: "https://app.example/cb?x=1&y=2", State: "s/1"}
	got, err := OrderConnectURL(l, documented)
	if err != nil {
		t.Fatal(err)
	}
	wantPrefix := "https://api.tradejini.com/v2/api-gw/oauth/order-connect?client_id=MY+KEY&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1%26y%3D2&response_type=code&scope=general&state=s%2F1&params="
	if !strings.HasPrefix(got, wantPrefix) {
		t.Fatalf("URL = %s\nwant prefix %s", got, wantPrefix)
	}
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("params") != documented {
		t.Fatalf("params decodes to %s", q.Get("params"))
	}
	for k, want := range map[string]string{"client_id": "MY KEY", "redirect_uri": l.RedirectURI, "state": "s/1", "response_type": "code", "scope": "general"} {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want)
		}
	}

	d, err := DecodeURL(got)
	if err != nil {
		t.Fatal(err)
	}
	if d.Endpoint != "order-connect" || d.BaseURL != DefaultBaseURL || !d.HasParams || d.Params != documented {
		t.Fatalf("decoded %+v", d)
	}
	var names []string
	for _, p := range d.Query {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "client_id,redirect_uri,response_type,scope,state" {
		t.Fatalf("query order = %v", names)
	}
	if d.Get("state") != "s/1" {
		t.Fatalf("state = %q", d.Get("state"))
	}
}

func TestLoginURL(t *testing.T) {
	got := LoginURL(Link{BaseURL: "http://127.0.0.1:9090/v2/", ClientID: "SIMKEY", RedirectURI: "http://127.0.0.1:8080/callback", State: "abc"})
	want := "http://127.0.0.1:9090/v2/api-gw/oauth/authorize?client_id=SIMKEY&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fcallback&response_type=code&scope=general&state=abc"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	d, err := DecodeURL(got)
	if err != nil || d.Endpoint != "authorize" || d.HasParams || d.BaseURL != "http://127.0.0.1:9090/v2" {
		t.Fatalf("decoded %+v, %v", d, err)
	}
}

func TestOrderConnectURLTooLong(t *testing.T) {
	_, err := OrderConnectURL(Link{ClientID: "K", RedirectURI: "https://x/cb"}, strings.Repeat("x", MaxURLBytes))
	var e Error
	if !errors.As(err, &e) || e.Pointer != "" || !strings.Contains(e.Message, "8000-byte limit") {
		t.Fatalf("err = %v", err)
	}
}

func TestDecodeURLErrors(t *testing.T) {
	for _, raw := range []string{"", "not a url", "/api-gw/oauth/order-connect?params=[]", "https://x/api-gw/oauth/order-connect?params=%zz", "http://[::1"} {
		if _, err := DecodeURL(raw); !errors.Is(err, ErrNotURL) {
			t.Errorf("DecodeURL(%q) err = %v, want ErrNotURL", raw, err)
		}
	}
}

func TestOrderConnectTemplate(t *testing.T) {
	l := Link{BaseURL: "http://127.0.0.1:1/v2", ClientID: "K", RedirectURI: "https://x/cb?a=b"}
	tpl := OrderConnectTemplate(l, 10)
	if err := tpl.Check(documented); err != nil {
		t.Fatal(err)
	}
	l.State = "st/ate"
	want, _ := OrderConnectURL(l, documented)
	if got := tpl.URL("st/ate", documented); got != want {
		t.Fatalf("template URL\n got %s\nwant %s", got, want)
	}
	var e Error
	if err := OrderConnectTemplate(l, MaxURLBytes).Check(documented); !errors.As(err, &e) || e.Pointer != "" {
		t.Fatalf("a state that makes the URL too long: %v, want an Error at the root", err)
	}
}

// FuzzQueryEscape: the click's escaping (queryEscapedLen, then
// putQueryEscape into a buffer of that size) is url.QueryEscape, byte for byte.
func FuzzQueryEscape(f *testing.F) {
	for _, s := range []string{documented, "a b+c&d=é\x00~-_.!*'()%", "", `[{"exch":"NSE","qty":1}]`, "नमस्ते\x00\xff%+&=", "\x7f\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := url.QueryEscape(s)
		n := queryEscapedLen(s)
		if n != len(want) {
			t.Fatalf("queryEscapedLen(%q) = %d, want %d", s, n, len(want))
		}
		b := make([]byte, n)
		if w := putQueryEscape(b, s); w != n || string(b) != want {
			t.Fatalf("putQueryEscape(%q) = %q (%d bytes), url.QueryEscape %q", s, b[:w], w, want)
		}
		// The same from bytes (a click escapes its params from a buffer).
		if nb := queryEscapedLen([]byte(s)); nb != n {
			t.Fatalf("queryEscapedLen of bytes %q = %d, want %d", s, nb, n)
		}
		if w := putQueryEscape(b, []byte(s)); w != n || string(b) != want {
			t.Fatalf("putQueryEscape of bytes %q = %q, url.QueryEscape %q", s, b[:w], want)
		}
		tpl := OrderConnectTemplate(Link{BaseURL: "https://api.tradejini.com/v2", ClientID: "K", RedirectURI: "https://x/cb"}, 0)
		if a, b := tpl.URL("st", s), tpl.URLBytes("st", []byte(s)); a != b || !strings.HasSuffix(a, "&params="+want) {
			t.Fatalf("URL %q and URLBytes %q of %q", a, b, s)
		}
	})
}

// TestSavedResult: a saved basket read back shows its legs, and once a leg's
// contract expired, the same error Validate gives for it.
func TestSavedResult(t *testing.T) {
	legs := `[{"exch":"NFO","symbol":"NIFTY","expiry":"2022-11-24","inst":"FUTIDX","qty":50,"side":"buy","type":"market","product":"delivery","limitPrice":0,"validity":"day"},` +
		`{"exch":"NSE","symbol":"IDEA","series":"EQ","inst":"EQT","qty":1,"side":"buy","type":"limit","product":"intraday","limitPrice":10.5,"validity":"day"}]`
	before, _ := ParseAsOf("2022-11-20")
	after, _ := ParseAsOf("2022-11-25")
	res := Validate([]byte(legs), Options{AsOf: before})
	if !res.Valid {
		t.Fatalf("the basket does not validate: %v", res.Errors)
	}
	sv, err := ReadSaved(res.Params)
	if err != nil || sv.Earliest != "2022-11-24" {
		t.Fatalf("ReadSaved: %+v %v", sv, err)
	}
	if !sv.Placeable(before) || sv.Placeable(after) {
		t.Fatalf("placeable before %v, after %v; want true, false", sv.Placeable(before), sv.Placeable(after))
	}
	if got := sv.Result(before); !got.Valid || got.Legs != 2 || len(got.Parsed) != 2 || got.Parsed[1].Symbol != "IDEA" || got.Parsed[1].LimitPrice != "10.5" {
		t.Fatalf("as of the save: %+v", got)
	}
	got, want := sv.Result(after), Validate([]byte(res.Params), Options{AsOf: after})
	if got.Valid || len(got.Errors) != 1 || len(want.Errors) != 1 || got.Errors[0].Pointer != want.Errors[0].Pointer || got.Errors[0].Message != want.Errors[0].Message {
		t.Fatalf("after expiry:\n got %+v\nwant %+v", got.Errors, want.Errors)
	}
	if _, err := ReadSaved(`{"not":"legs"}`); err == nil {
		t.Fatal("params that are no array of legs read back")
	}
}
