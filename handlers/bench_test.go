package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"basketlink/handlers"
	"basketlink/obs"
	"basketlink/secret"
	"basketlink/share"
	"basketlink/state"
	"basketlink/store"
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
