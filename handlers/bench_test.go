package handlers_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// BenchmarkAPIValidate is one POST /api/v1/validate of the documented basket over real HTTP.
func BenchmarkAPIValidate(b *testing.B) {
	srv := start(b, nil)
	doc := documented(b)
	for b.Loop() {
		res, err := http.Post(srv.URL+"/api/v1/validate?as_of="+asOf, "application/json", strings.NewReader(doc))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}

// BenchmarkBuilderPost is one no-JS builder post of a 3-leg basket, page rendered, over real HTTP.
func BenchmarkBuilderPost(b *testing.B) {
	srv := start(b, nil)
	form := url.Values{"as_of": {asOf}, "op": {"check"}}
	for i, sym := range []string{"ACC", "SBIN", "INFY"} {
		p := "legs." + string(rune('0'+i)) + "."
		for k, v := range map[string]string{"inst": "EQT", "exch": "NSE", "symbol": sym, "series": "EQ", "qty": "10",
			"side": "buy", "type": "limit", "product": "intraday", "limitPrice": "100.5", "validity": "day"} {
			form.Set(p+k, v)
		}
	}
	body := form.Encode()
	for b.Loop() {
		res, err := http.Post(srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(page), `id="order-connect-url"`) {
			b.Fatalf("status %d, no links", res.StatusCode)
		}
	}
}
