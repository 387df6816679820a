package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"basketlink/handlers"
	"basketlink/linkstats"
	"basketlink/obs"
	"basketlink/secret"
	"basketlink/share"
	"basketlink/state"
	"basketlink/store"
	"basketlink/templates"
	"basketlink/tradejini"
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

// BenchmarkRequestLog measures what the request log costs on the hot paths:
// the short link's click (/b/{id}/go, a saved basket from real SQLite) and
// /livez, over real HTTP, with the log written to a real file and with no log.
func BenchmarkRequestLog(b *testing.B) {
	asOfDay, _ := time.Parse(time.DateOnly, asOf)
	for _, logged := range []bool{true, false} {
		name := "nolog"
		var logger *slog.Logger
		if logged {
			name = "log"
			f, err := os.CreateTemp(b.TempDir(), "log")
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { f.Close() })
			if logger, err = obs.NewLogger(f, "text", "info"); err != nil {
				b.Fatal(err)
			}
		}
		db, key := benchStore(b)
		var svc *share.Service
		srv := start(b, func(c *handlers.Config) {
			c.Logger = logger
			svc = &share.Service{Store: db, States: &state.Issuer{Key: key}, Key: key, AsOf: asOfDay,
				Broker: &tradejini.Client{BaseURL: c.BaseURL, ClientID: c.ClientID, RedirectURI: c.RedirectURI}}
			c.Share, c.Key, c.AsOf = svc, key, asOfDay
		})
		saved, res, err := svc.Save(context.Background(), "bench", []byte(documented(b)))
		if err != nil || !res.Valid {
			b.Fatalf("save: %v %+v", err, res.Errors)
		}
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for _, path := range []string{"/b/" + saved.ID + "/go", "/livez"} {
			want := http.StatusOK
			route := "livez"
			if strings.HasSuffix(path, "/go") {
				want, route = http.StatusFound, "click"
			}
			b.Run(route+"/"+name, func(b *testing.B) {
				for b.Loop() {
					res, err := client.Get(srv.URL + path)
					if err != nil {
						b.Fatal(err)
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != want {
						b.Fatalf("%s: status %d", path, res.StatusCode)
					}
				}
			})
		}
	}
}

// benchStore is a fresh SQLite store and secret key in a temporary directory.
func benchStore(b *testing.B) (store.Store, secret.Key) {
	dir := b.TempDir()
	db, err := store.Open(context.Background(), dir, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	key, err := secret.Load(dir, "")
	if err != nil {
		b.Fatal(err)
	}
	return db, key
}

// reviewBaskets are the baskets BenchmarkReview serves: two and four legs of
// the kinds a review page shows (equity, future, options), live on asOf.
var reviewBaskets = []struct{ name, legs string }{
	{"2legs", `[{"exch":"NSE","symbol":"RELIANCE","series":"EQ","inst":"EQT","qty":10,"side":"buy","type":"limit","product":"delivery","limitPrice":1450.5,"validity":"day"},` +
		`{"exch":"NFO","symbol":"NIFTY","expiry":"2022-11-24","inst":"FUTIDX","qty":50,"side":"sell","type":"market","product":"intraday","limitPrice":0,"validity":"ioc","mktProt":5}]`},
	{"4legs", `[{"exch":"NFO","symbol":"NIFTY","expiry":"2022-11-24","optType":"CE","inst":"OPTIDX","strike":"18500","qty":50,"side":"sell","type":"limit","product":"delivery","limitPrice":120.05,"validity":"day"},` +
		`{"exch":"NFO","symbol":"NIFTY","expiry":"2022-11-24","optType":"CE","inst":"OPTIDX","strike":"18700","qty":50,"side":"buy","type":"limit","product":"delivery","limitPrice":45.5,"validity":"day"},` +
		`{"exch":"NFO","symbol":"NIFTY","expiry":"2022-11-24","optType":"PE","inst":"OPTIDX","strike":"18000","qty":50,"side":"sell","type":"limit","product":"delivery","limitPrice":98.3,"validity":"day"},` +
		`{"exch":"NFO","symbol":"NIFTY","expiry":"2022-11-24","optType":"PE","inst":"OPTIDX","strike":"17800","qty":50,"side":"buy","type":"market","product":"delivery","limitPrice":0,"validity":"day","discQty":10}]`},
}

// reviewApp is the real app over real SQLite, with a brand, a view counter
// and a request log written (and thrown away) as in production, and the ids
// of the saved reviewBaskets.
func reviewApp(b *testing.B) (http.Handler, map[string]string) {
	asOfDay, _ := time.Parse(time.DateOnly, asOf)
	db, key := benchStore(b)
	logger, err := obs.NewLogger(io.Discard, "text", "info")
	if err != nil {
		b.Fatal(err)
	}
	cfg := handlers.Config{Logger: logger, BaseURL: "https://api.tradejini.com/v2", ClientID: "TESTKEY",
		RedirectURI: "https://basketlink.example/callback", PublicURL: "https://basketlink.example",
		Brand: templates.Brand{Name: "Sharma Advisory", Reg: "INA000012345", Disclaimer: "Investments are subject to market risks."},
		Key:   key, AsOf: asOfDay, Counter: linkstats.New(db, nil)}
	svc := &share.Service{Store: db, States: &state.Issuer{Key: key}, Key: key, AsOf: asOfDay,
		Broker: &tradejini.Client{BaseURL: cfg.BaseURL, ClientID: cfg.ClientID, RedirectURI: cfg.RedirectURI}}
	cfg.Share = svc
	ids := map[string]string{}
	for _, bk := range reviewBaskets {
		saved, res, err := svc.Save(context.Background(), "Bench "+bk.name, []byte(bk.legs))
		if err != nil || !res.Valid {
			b.Fatalf("save %s: %v %+v", bk.name, err, res.Errors)
		}
		ids[bk.name] = saved.ID
	}
	return handlers.New(cfg), ids
}

// serve sends one GET through h as a browser would, and checks the status.
func serve(b *testing.B, h http.Handler, path, acceptLanguage string, want int) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "https://basketlink.example"+path, nil)
	req.Header.Set("User-Agent", "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36")
	req.Header.Set("Accept-Language", acceptLanguage)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("%s: status %d", path, rec.Code)
	}
	return rec
}

// BenchmarkReview is one GET /b/{id} of a saved basket (the link cached, as
// under load), through the real app with an httptest recorder, in English and
// Hindi: the handler's and the templates' cost per view. BenchmarkLivez is
// the same for /livez, the yardstick of the load test.
func BenchmarkReview(b *testing.B) {
	h, ids := reviewApp(b)
	for _, bk := range reviewBaskets {
		for _, al := range []string{"en-IN,en;q=0.9", "hi-IN,hi;q=0.9"} {
			path := "/b/" + ids[bk.name]
			serve(b, h, path, al, http.StatusOK) // fills the cache
			b.Run(bk.name+"/"+al[:2], func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					serve(b, h, path, al, http.StatusOK)
				}
			})
		}
	}
}

func BenchmarkLivez(b *testing.B) {
	h, _ := reviewApp(b)
	b.ReportAllocs()
	for b.Loop() {
		serve(b, h, "/livez", "en-IN,en;q=0.9", http.StatusOK)
	}
}

// BenchmarkGo is one GET /b/{id}/go of a saved basket (the link cached, as
// under load), through the real app with an httptest recorder: the click's
// handler cost, beside BenchmarkLivez.
func BenchmarkGo(b *testing.B) {
	h, ids := reviewApp(b)
	for _, bk := range reviewBaskets {
		path := "/b/" + ids[bk.name] + "/go"
		serve(b, h, path, "en-IN,en;q=0.9", http.StatusFound) // fills the cache
		b.Run(bk.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				serve(b, h, path, "en-IN,en;q=0.9", http.StatusFound)
			}
		})
	}
}
