package basket

import (
	"encoding/json"
	"strings"
	"testing"
)

// basket10 is the documented three legs repeated to ten: the benchmark's basket.
var basket10 = func() []byte {
	legs := strings.Split(strings.Trim(documented, "[]"), "},{")
	var out []string
	for i := 0; i < 10; i++ {
		l := legs[i%3]
		if !strings.HasPrefix(l, "{") {
			l = "{" + l
		}
		if !strings.HasSuffix(l, "}") {
			l += "}"
		}
		out = append(out, l)
	}
	return []byte("[" + strings.Join(out, ",") + "]")
}()

func BenchmarkValidateBasket10(b *testing.B) {
	if res := Validate(basket10, docAsOf); !res.Valid || res.Legs != 10 {
		b.Fatalf("benchmark basket invalid: %+v", res.Errors)
	}
	b.SetBytes(int64(len(basket10)))
	b.ReportAllocs()
	for b.Loop() {
		Validate(basket10, docAsOf)
	}
}

// BenchmarkJSONRoundTrip10 is the floor: plain encoding/json decoding the same
// ten legs into structs and encoding them back.
func BenchmarkJSONRoundTrip10(b *testing.B) {
	type leg struct {
		Exch       string  `json:"exch"`
		Symbol     string  `json:"symbol"`
		Series     string  `json:"series,omitempty"`
		Expiry     string  `json:"expiry,omitempty"`
		OptType    string  `json:"optType,omitempty"`
		Inst       string  `json:"inst"`
		Strike     string  `json:"strike,omitempty"`
		Qty        int     `json:"qty"`
		Side       string  `json:"side"`
		Type       string  `json:"type"`
		Product    string  `json:"product"`
		LimitPrice float64 `json:"limitPrice"`
		Validity   string  `json:"validity"`
		DiscQty    int     `json:"discQty,omitempty"`
		MktProt    float64 `json:"mktProt,omitempty"`
	}
	b.SetBytes(int64(len(basket10)))
	b.ReportAllocs()
	for b.Loop() {
		var legs []leg
		if err := json.Unmarshal(basket10, &legs); err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(legs); err != nil {
			b.Fatal(err)
		}
	}
}
