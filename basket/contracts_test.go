package basket

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"basketlink/contracts"
)

func syntheticMaster(t testing.TB) *contracts.Master {
	t.Helper()
	m, err := contracts.LoadFile("../testdata/contracts-synthetic.csv")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// contractLegs is a basket every leg of which the synthetic master lists.
const contractLegs = `[
{"exch":"NFO","symbol":"NIFTY","expiry":"2026-12-29","optType":"CE","inst":"OPTIDX","strike":"26000","qty":150,"side":"buy","type":"limit","product":"intraday","limitPrice":101.05,"validity":"day"},
{"exch":"NFO","symbol":"BANKNIFTY","expiry":"2027-01-25","inst":"FUTIDX","qty":35,"side":"sell","type":"limit","product":"delivery","limitPrice":58000.1,"validity":"day"},
{"exch":"NSE","symbol":"SBIN","series":"EQ","inst":"EQT","qty":7,"side":"buy","type":"market","product":"delivery","limitPrice":0,"validity":"ioc"}]`

var contractAsOf = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

func TestValidateContracts(t *testing.T) {
	master := syntheticMaster(t)
	n := func(s string) json.Number { return json.Number(s) }
	tests := []struct {
		name    string
		changes []set
		pointer string // the one error expected, "" for valid
		msg     string // its whole message
	}{
		{name: "every leg listed"},
		{"qty not whole lots", []set{{0, "qty", n("70")}}, "/0/qty",
			"qty 70 is not a whole number of lots: the NIFTY lot is 75; use 75 or 150"},
		{"qty between lots", []set{{0, "qty", n("100")}}, "/0/qty",
			"qty 100 is not a whole number of lots: the NIFTY lot is 75; use 75 or 150"},
		{"qty written 1.5e2", []set{{0, "qty", n("1.5e2")}}, "", ""},
		{"qty of 17 digits, not whole lots", []set{{0, "qty", n("10000000000000001")}}, "/0/qty",
			"qty 10000000000000001 is not a whole number of lots: the NIFTY lot is 75"},
		{"qty of 17 digits, whole lots", []set{{0, "qty", n("15000000000000000")}}, "", ""},
		{"qty of 17 digits written 1.0000000000000001e16", []set{{0, "qty", n("1.0000000000000001e16")}}, "/0/qty",
			"qty 1.0000000000000001e16 is not a whole number of lots: the NIFTY lot is 75"},
		{"limitPrice of 17 digits off the tick", []set{{0, "limitPrice", n("10000000000000000.03")}}, "/0/limitPrice",
			"limitPrice 10000000000000000.03 is not a multiple of the NIFTY tick size 0.05"},
		{"limitPrice of 17 digits on the tick", []set{{0, "limitPrice", n("10000000000000000.05")}}, "", ""},
		{"future qty", []set{{1, "qty", n("36")}}, "/1/qty",
			"qty 36 is not a whole number of lots: the BANKNIFTY lot is 35; use 35 or 70"},
		{"limitPrice off the tick", []set{{0, "limitPrice", n("101.03")}}, "/0/limitPrice",
			"limitPrice 101.03 is not a multiple of the NIFTY tick size 0.05; use 101 or 101.05"},
		{"limitPrice below one tick", []set{{0, "limitPrice", n("0.01")}}, "/0/limitPrice",
			"limitPrice 0.01 is not a multiple of the NIFTY tick size 0.05; use 0.05 or 0.1"},
		{"future limitPrice off a 0.1 tick", []set{{1, "limitPrice", n("58000.15")}}, "/1/limitPrice",
			"limitPrice 58000.15 is not a multiple of the BANKNIFTY tick size 0.1; use 58000.1 or 58000.2"},
		{"unlisted symbol", []set{{0, "symbol", "NIFTYX"}}, "/0/symbol",
			"symbol NIFTYX is not listed among NFO index options; listed symbols like it: NIFTY"},
		{"equity named as an option", []set{{0, "symbol", "RELIANCE"}}, "/0/symbol",
			"symbol RELIANCE is not listed among NFO index options; it is listed among NSE equities and BSE equities"},
		{"equity on the other exchange", []set{{2, "exch", "BSE"}}, "/2/symbol",
			"symbol SBIN is not listed among BSE equities; it is listed among NSE equities"},
		{"unlisted series", []set{{2, "series", "BZ"}}, "/2/series",
			"series BZ is not listed for SBIN on NSE; listed: BE, EQ"},
		{"unlisted expiry", []set{{0, "expiry", "2026-12-30"}}, "/0/expiry",
			"expiry 2026-12-30 is not listed for NIFTY options; listed expiries: 2026-12-01, 2026-12-08, 2026-12-15, 2026-12-22, 2026-12-29, 2027-01-25"},
		{"unlisted future expiry", []set{{1, "expiry", "2026-12-22"}}, "/1/expiry",
			"expiry 2026-12-22 is not listed for BANKNIFTY futures; listed expiries: 2026-12-29, 2027-01-25, 2027-02-23"},
		{"strike off the grid", []set{{0, "strike", "26010"}}, "/0/strike",
			"strike 26010 is not on the NIFTY 2026-12-29 CE grid; the nearest listed strikes are 26000 and 26050"},
		{"strike below the grid", []set{{0, "strike", "172.5"}}, "/0/strike",
			"strike 172.5 is not on the NIFTY 2026-12-29 CE grid; the lowest listed strike is 24000"},
		{"strike above the grid", []set{{0, "strike", "30000"}}, "/0/strike",
			"strike 30000 is not on the NIFTY 2026-12-29 CE grid; the highest listed strike is 28000"},
		// A field wrong by the leg rules is reported by them alone.
		{"strike not a string", []set{{0, "strike", n("26000")}}, "/0/strike", `strike must be a string holding the price, like "34000", not 26000 (a number)`},
		{"qty zero", []set{{0, "qty", n("0")}}, "/0/qty", "qty must be at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			legs := decodeLegs(t, contractLegs)
			for _, c := range tt.changes {
				legs[c.leg][c.key] = c.value
			}
			data, _ := json.Marshal(legs)
			res := Validate(data, Options{AsOf: contractAsOf, Contracts: master})
			if tt.pointer == "" {
				if !res.Valid {
					t.Fatalf("want valid, got %+v", res.Errors)
				}
				return
			}
			if len(res.Errors) != 1 {
				t.Fatalf("want one error at %s, got %+v", tt.pointer, res.Errors)
			}
			e := res.Errors[0]
			field := tt.pointer[strings.LastIndex(tt.pointer, "/")+1:]
			if e.Pointer != tt.pointer || e.Field != field || e.Leg == nil || e.Message != tt.msg {
				t.Errorf("got %s (field %q) %q\nwant %s %q", e.Pointer, e.Field, e.Message, tt.pointer, tt.msg)
			}
			// Without a master, the leg rules alone.
			plain := Validate(data, Options{AsOf: contractAsOf})
			if strings.HasPrefix(tt.msg, "qty 7") || strings.Contains(tt.msg, "tick") || strings.Contains(tt.msg, "listed") || strings.Contains(tt.msg, "grid") {
				if !plain.Valid {
					t.Errorf("without a master: %+v", plain.Errors)
				}
			}
		})
	}
}

// Expiries listed before the as-of date are not offered; with none left the message says so.
func TestValidateContractsExpiredListing(t *testing.T) {
	master := syntheticMaster(t)
	legs := decodeLegs(t, contractLegs)
	legs[0]["expiry"] = "2027-03-30"
	data, _ := json.Marshal(legs[:1])
	res := Validate(data, Options{AsOf: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Contracts: master})
	want := "expiry 2027-03-30 is not listed for NIFTY options; listed expiries: 2027-01-25"
	if len(res.Errors) != 1 || res.Errors[0].Message != want {
		t.Fatalf("got %+v, want %q", res.Errors, want)
	}
	res = Validate(data, Options{AsOf: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), Contracts: master})
	want = "expiry 2027-03-30 is not listed for NIFTY options, and none is listed on or after 2027-03-01"
	if len(res.Errors) != 1 || res.Errors[0].Message != want {
		t.Fatalf("got %+v, want %q", res.Errors, want)
	}
}

// Contract errors sit beside the leg-rule errors of other legs and fields, all at once.
func TestValidateContractsAllAtOnce(t *testing.T) {
	master := syntheticMaster(t)
	legs := decodeLegs(t, contractLegs)
	legs[0]["qty"] = json.Number("70")
	legs[0]["limitPrice"] = json.Number("101.03")
	legs[1]["side"] = "BUY"
	legs[2]["symbol"] = "SBINX"
	data, _ := json.Marshal(legs)
	res := Validate(data, Options{AsOf: contractAsOf, Contracts: master})
	var got []string
	for _, e := range res.Errors {
		got = append(got, e.Pointer)
	}
	if want := "/0/qty /0/limitPrice /1/side /2/symbol"; strings.Join(got, " ") != want {
		t.Errorf("pointers %v, want %s", got, want)
	}
}

func decodeLegs(t testing.TB, s string) []map[string]any {
	t.Helper()
	var legs []map[string]any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&legs); err != nil {
		t.Fatal(err)
	}
	return legs
}

// benchMaster is a master of over 50,000 contracts that lists the benchmark basket's.
func benchMaster(b *testing.B) *contracts.Master {
	var sb strings.Builder
	sb.WriteString("exch,symbol,series,inst,expiry,opt_type,strike,lot_size,tick_size\n")
	rows := 0
	expiries := []string{"2022-11-24"}
	for d := 1; len(expiries) < 10; d += 7 {
		expiries = append(expiries, time.Date(2022, 12, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
	}
	symbols := []string{"NIFTY", "BANKNIFTY", "FINNIFTY", "MIDCPNIFTY"}
	for i := 0; len(symbols) < 24; i++ {
		symbols = append(symbols, fmt.Sprintf("IDX%02d", i))
	}
	for _, s := range symbols {
		lot := map[string]int{"NIFTY": 50, "BANKNIFTY": 25}[s]
		if lot == 0 {
			lot = 40
		}
		for _, x := range expiries {
			fmt.Fprintf(&sb, "NFO,%s,,FUTIDX,%s,,,%d,0.05\n", s, x, lot)
			rows++
			for k := 28000; k < 28000+120*100; k += 100 {
				fmt.Fprintf(&sb, "NFO,%s,,OPTIDX,%s,CE,%d,%d,0.05\nNFO,%s,,OPTIDX,%s,PE,%d,%d,0.05\n", s, x, k, lot, s, x, k, lot)
				rows += 2
			}
		}
	}
	sb.WriteString("NSE,ACC,EQ,EQT,,,,1,0.05\n")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&sb, "NSE,EQ%04d,EQ,EQT,,,,1,0.05\n", i)
	}
	m, err := contracts.Load(strings.NewReader(sb.String()), "bench.csv")
	if err != nil {
		b.Fatal(err)
	}
	if m.Len() < 50000 {
		b.Fatalf("master of %d rows; the benchmark wants at least 50,000", m.Len())
	}
	return m
}

// BenchmarkValidateBasket10Contracts is BenchmarkValidateBasket10 with a
// master of over 50,000 contracts loaded: what the contract rules cost.
func BenchmarkValidateBasket10Contracts(b *testing.B) {
	opts := docAsOf
	opts.Contracts = benchMaster(b)
	if res := Validate(basket10, opts); !res.Valid || res.Legs != 10 {
		b.Fatalf("benchmark basket invalid: %+v", res.Errors)
	}
	b.SetBytes(int64(len(basket10)))
	b.ReportAllocs()
	for b.Loop() {
		Validate(basket10, opts)
	}
}
