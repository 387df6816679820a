package share

import (
	"os"
	"testing"
	"time"

	"basketlink/basket"
)

const packLegs = `[{"exch":"NSE","symbol":"IDEA","series":"EQ","inst":"EQT","qty":2,"side":"buy","type":"limit","product":"intraday","limitPrice":10.05,"validity":"day"},{"exch":"NSE","symbol":"SBIN","series":"EQ","inst":"EQT","qty":3,"side":"sell","type":"market","product":"delivery","limitPrice":0,"validity":"day"}]`

func TestPackRoundTrip(t *testing.T) {
	doc, err := os.ReadFile("../basket/testdata/documented.json")
	if err != nil {
		t.Fatal(err)
	}
	res := basket.Validate(doc, basket.Options{AsOf: time.Date(2022, 11, 20, 0, 0, 0, 0, time.UTC)})
	for _, p := range []string{packLegs, res.Params, "[]", "", `[{"symbol":"नमस्ते \u0000"}]`} {
		packed := pack(p)
		got, err := unpack(packed)
		if err != nil || got != p {
			t.Fatalf("unpack(pack(%q)) = %q, %v", p, got, err)
		}
		t.Logf("%d bytes pack in %d", len(p), len(packed))
	}
}

func BenchmarkUnpack(b *testing.B) {
	packed := pack(packLegs)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := unpack(packed); err != nil {
			b.Fatal(err)
		}
	}
}
