package templates

import (
	"context"
	"io"
	"testing"

	"basketlink/basket"
	"basketlink/i18n"
)

// BenchmarkReviewPage renders the review page of the documented three legs,
// in each language: the cost of the tickets and the catalogs per view.
func BenchmarkReviewPage(b *testing.B) {
	legs := `[{"exch":"NSE","symbol":"ACC","series":"EQ","inst":"EQT","qty":10,"side":"buy","type":"limit","product":"intraday","limitPrice":2700.55,"validity":"day"},{"exch":"NFO","symbol":"NIFTY","expiry":"2026-12-29","inst":"FUTIDX","qty":2000,"side":"sell","type":"market","product":"intraday","limitPrice":0,"validity":"ioc","discQty":500},{"exch":"NFO","symbol":"BANKNIFTY","expiry":"2026-12-29","optType":"PE","inst":"OPTIDX","strike":"34000","qty":1500,"side":"buy","type":"market","product":"delivery","limitPrice":0,"validity":"day","mktProt":5}]`
	res := basket.Validate([]byte(legs), basket.Options{MaxLegs: 20})
	for _, l := range i18n.Langs() {
		b.Run(string(l), func(b *testing.B) {
			ctx := WithFrame(i18n.With(context.Background(), l), Frame{SwitchURL: "/b/x?lang=hi", Brand: Brand{Name: "Sharma Advisory", Reg: "INA000012345"}})
			for b.Loop() {
				v := Review{ID: "x", Label: "bench", Tickets: Tickets(res.Parsed), Valid: true, GoURL: "/b/x/go", Created: "29 Nov 2026, 10:43 am IST"}
				if err := ReviewPage(v).Render(ctx, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
