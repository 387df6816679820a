package contracts

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

// FuzzLoad: any bytes either load or fail with a *ParseError at a real
// position (or a read error), never a panic; what loads can be looked up.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(head + "NFO,NIFTY,,OPTIDX,2026-12-29,CE,24000,75,0.05\n"))
	f.Add([]byte(head + "NSE,ACC,EQ,EQT,,,,1,0.05\nNFO,NIFTY,,FUTIDX,2026-12-29,,,75,0.1\n"))
	f.Add([]byte(head + "NFO,\"NIFTY\n\",,FUTIDX,2026-12-29,,,75,0.1\n"))
	f.Add([]byte("# comment\n" + head))
	if data, err := os.ReadFile(synthetic); err == nil {
		f.Add(data[:4096])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load(bytes.NewReader(data), "f.csv")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("not a ParseError: %v", err)
			}
			if pe.Line < 1 || pe.Column < 1 || pe.Msg == "" {
				t.Fatalf("bad position or message: %+v", pe)
			}
			return
		}
		for _, l := range []Listing{{"NFO", "OPTIDX"}, {"NFO", "FUTIDX"}, {"NSE", "EQT"}, {"BSE", "EQT"}} {
			for _, s := range m.Symbols(l.Exch, l.Inst) {
				for _, x := range m.Expiries(l.Exch, l.Inst, s) {
					for _, k := range m.Strikes(l.Exch, s, x) {
						if c, miss := m.Lookup(Query{Exch: l.Exch, Inst: l.Inst, Symbol: s, Expiry: x, OptType: "CE", Strike: k}); c == nil && miss.Field != "optType" && miss.Field != "strike" {
							t.Fatalf("listed %s %s %v not found: %+v", s, x, k, miss)
						}
					}
				}
			}
		}
	})
}
