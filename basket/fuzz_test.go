package basket

import (
	"strings"
	"testing"
)

func FuzzValidate(f *testing.F) {
	f.Add([]byte(documented))
	f.Add([]byte(`[{"exch":"NFO","symbol":"NIFTY","expiry":"2022-11-25","inst":"FUTIDX","qty":1e1,"side":"sell","type":"limit","product":"intraday","limitPrice":10.50,"validity":"ioc","discQty":5.0}]`))
	f.Add([]byte(`[{"inst":"OPTIDX","strike":"0.05","mktProt":1e-1,"qty":-0}]`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[1,"a",null,[],{}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := Validate(data, docAsOf)
		if res.Valid != (len(res.Errors) == 0) {
			t.Fatalf("valid=%v with %d errors", res.Valid, len(res.Errors))
		}
		for _, e := range res.Errors {
			if e.Message == "" || (e.Pointer == "") != (e.Leg == nil) {
				t.Fatalf("malformed error %+v", e)
			}
		}
		if !res.Valid {
			return
		}
		again := Validate([]byte(res.Params), docAsOf)
		if !again.Valid {
			t.Fatalf("canonical params %s do not validate: %+v", res.Params, again.Errors)
		}
		if again.Params != res.Params {
			t.Fatalf("canonical params are not stable:\n%s\n%s", res.Params, again.Params)
		}
		if Encode(again.Parsed) != res.Params {
			t.Fatalf("Encode(Parsed) differs from Params")
		}
	})
}

func FuzzDecodeURL(f *testing.F) {
	u, _ := OrderConnectURL(Link{ClientID: "K", RedirectURI: "https://x/cb", State: "s"}, documented)
	f.Add(u)
	f.Add(LoginURL(Link{ClientID: "K"}))
	f.Add("https://h/api-gw/oauth/order-connect?params=%5B%5D&params=x&&=&a")
	f.Add("http://[::1]:80/x?%zz")
	f.Fuzz(func(t *testing.T, raw string) {
		d, err := DecodeURL(raw)
		if err != nil {
			return
		}
		res := Validate([]byte(d.Params), docAsOf)
		if !res.Valid {
			return
		}
		// A valid basket survives a trip through a new URL unchanged.
		built, err := OrderConnectURL(Link{BaseURL: d.BaseURL, ClientID: d.Get("client_id"), RedirectURI: d.Get("redirect_uri"), State: d.Get("state")}, res.Params)
		if err != nil {
			if !strings.Contains(err.Error(), "limit") {
				t.Fatal(err)
			}
			return
		}
		d2, err := DecodeURL(built)
		if err != nil {
			t.Fatalf("rebuilt URL %q does not decode: %v", built, err)
		}
		if d2.Params != res.Params {
			t.Fatalf("params changed: %s -> %s", res.Params, d2.Params)
		}
	})
}
