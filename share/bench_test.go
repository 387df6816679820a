package share

import (
	"context"
	"testing"

	"basketlink/secret"
	"basketlink/state"
	"basketlink/store"
	"basketlink/tradejini"
)

// BenchmarkClick: one click on SQLite, from the cache (hit) and from the
// store (miss: the link is dropped from the cache before each click).
func BenchmarkClick(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	db, err := store.Open(ctx, dir, "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	key, err := secret.Load(dir, "")
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for range 1000 {
		bk, err := db.CreateBasket(ctx, "", twoLegs)
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, bk.ID)
	}
	for _, tc := range []struct {
		name string
		miss bool
	}{{"hit", false}, {"miss", true}} {
		b.Run(tc.name, func(b *testing.B) {
			svc := &Service{Store: db, States: &state.Issuer{Key: key}, Key: key,
				Broker: &tradejini.Client{BaseURL: "https://api.tradejini.com/v2", ClientID: "K", RedirectURI: "https://x.example/callback"}}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if tc.miss {
					svc.forget(ids[i%len(ids)])
				}
				if _, _, err := svc.Click(ctx, ids[i%len(ids)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

const twoLegs = `[{"exch":"NSE","symbol":"IDEA","series":"EQ","inst":"EQT","qty":1,"side":"buy","type":"limit","product":"intraday","limitPrice":10.5,"validity":"day"},` +
	`{"exch":"NSE","symbol":"SBIN","series":"EQ","inst":"EQT","qty":3,"side":"sell","type":"market","product":"delivery","limitPrice":0,"validity":"day"}]`
