package basket

import (
	"encoding/json"
	"strings"
	"testing"
)

// presetLegText is one built leg, written short: side optType strike qty.
func presetLegText(t *testing.T, params string) []string {
	t.Helper()
	var legs []Leg
	if err := json.Unmarshal([]byte(params), &legs); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range legs {
		if l.Exch != "NFO" || l.Inst != "OPTIDX" || l.Symbol != "NIFTY" || l.Expiry != "2026-12-29" || l.Validity != "day" || l.Product != "intraday" {
			t.Errorf("leg %+v", l)
		}
		out = append(out, l.Side+" "+l.OptType+" "+l.Strike+" "+string(l.Qty)+" "+l.Type+" "+string(l.LimitPrice))
	}
	return out
}

func TestPresets(t *testing.T) {
	master := syntheticMaster(t)
	opts := Options{AsOf: contractAsOf, Contracts: master}
	tests := []struct {
		name    string
		side    string
		strikes []string
		want    []string // buys first
	}{
		{"straddle", "", []string{"26000"}, []string{"buy CE 26000 150 market 0", "buy PE 26000 150 market 0"}},
		{"straddle", "sell", []string{"26000"}, []string{"sell CE 26000 150 market 0", "sell PE 26000 150 market 0"}},
		{"strangle", "", []string{"26500", "25500"}, []string{"buy PE 25500 150 market 0", "buy CE 26500 150 market 0"}},
		{"bull-call-spread", "", []string{"26000", "26500"}, []string{"buy CE 26000 150 market 0", "sell CE 26500 150 market 0"}},
		{"bull-call-spread", "sell", []string{"26000", "26500"}, []string{"buy CE 26500 150 market 0", "sell CE 26000 150 market 0"}},
		{"bear-put-spread", "", []string{"25500", "26000"}, []string{"buy PE 26000 150 market 0", "sell PE 25500 150 market 0"}},
		{"iron-condor", "", []string{"25000", "25500", "26500", "27000"},
			[]string{"buy PE 25000 150 market 0", "buy CE 27000 150 market 0", "sell PE 25500 150 market 0", "sell CE 26500 150 market 0"}},
		{"iron-condor", "buy", []string{"27000", "25000", "26500", "25500"},
			[]string{"buy PE 25500 150 market 0", "buy CE 26500 150 market 0", "sell PE 25000 150 market 0", "sell CE 27000 150 market 0"}},
		{"iron-butterfly", "", []string{"25500", "26000", "26500"},
			[]string{"buy PE 25500 150 market 0", "buy CE 26500 150 market 0", "sell PE 26000 150 market 0", "sell CE 26000 150 market 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" "+tt.side, func(t *testing.T) {
			p, ok := FindPreset(tt.name)
			if !ok {
				t.Fatalf("no preset %s", tt.name)
			}
			req := PresetRequest{Symbol: "NIFTY", Expiry: "2026-12-29", Strikes: tt.strikes, Lots: 2, Side: tt.side, Type: "market", Product: "intraday"}
			res := BuildPreset(p, req, opts)
			if !res.Valid {
				t.Fatalf("invalid: %+v", res.Errors)
			}
			if got := presetLegText(t, res.Params); strings.Join(got, "; ") != strings.Join(tt.want, "; ") {
				t.Errorf("legs\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			// The built legs pass the one validation on their own.
			if again := Validate([]byte(res.Params), opts); !again.Valid || again.Params != res.Params {
				t.Errorf("the legs do not validate on their own: %+v", again.Errors)
			}
		})
	}
	// The listing says the same as what is built at the usual side.
	for _, p := range Presets() {
		if len(p.Legs) == 0 || p.Legs[0].Side != "buy" || p.Legs[len(p.Legs)-1].Side == "buy" && p.Name != "straddle" && p.Name != "strangle" {
			t.Errorf("%s lists legs %+v: want buys first", p.Name, p.Legs)
		}
	}
	if names := len(Presets()); names != 6 {
		t.Errorf("%d presets, want 6", names)
	}
}

func TestPresetLimitPrices(t *testing.T) {
	p, _ := FindPreset("bull-call-spread")
	req := PresetRequest{Symbol: "NIFTY", Expiry: "2026-12-29", Strikes: []string{"26000", "26500"}, Lots: 1, Type: "limit",
		LimitPrices: []string{"120.5", "40"}, Product: "delivery"}
	res := BuildPreset(p, req, Options{AsOf: contractAsOf, Contracts: syntheticMaster(t)})
	if !res.Valid {
		t.Fatalf("invalid: %+v", res.Errors)
	}
	want := `[{"exch":"NFO","symbol":"NIFTY","expiry":"2026-12-29","optType":"CE","inst":"OPTIDX","strike":"26000","qty":75,"side":"buy","type":"limit","product":"delivery","limitPrice":120.5,"validity":"day"},` +
		`{"exch":"NFO","symbol":"NIFTY","expiry":"2026-12-29","optType":"CE","inst":"OPTIDX","strike":"26500","qty":75,"side":"sell","type":"limit","product":"delivery","limitPrice":40,"validity":"day"}]`
	if res.Params != want {
		t.Errorf("params\n%s\nwant\n%s", res.Params, want)
	}
}

func TestPresetErrors(t *testing.T) {
	master := syntheticMaster(t)
	opts := Options{AsOf: contractAsOf, Contracts: master}
	good := PresetRequest{Symbol: "NIFTY", Expiry: "2026-12-29", Strikes: []string{"25000", "25500", "26500", "27000"}, Lots: 1, Type: "market", Product: "intraday"}
	tests := []struct {
		name string
		edit func(r *PresetRequest)
		opts Options
		want string // pointer: message, one line per error
	}{
		{"strike off the grid", func(r *PresetRequest) { r.Strikes[2] = "26510" }, opts,
			"/strikes/2: strike 26510 is not on the NIFTY 2026-12-29 CE grid; the nearest listed strikes are 26500 and 26550"},
		{"unlisted expiry", func(r *PresetRequest) { r.Expiry = "2026-12-30" }, opts,
			"/expiry: expiry 2026-12-30 is not listed for NIFTY options; listed expiries: 2026-12-01, 2026-12-08, 2026-12-15, 2026-12-22, 2026-12-29, 2027-01-25"},
		{"unlisted symbol", func(r *PresetRequest) { r.Symbol = "SENSEX" }, opts,
			"/symbol: symbol SENSEX is not listed among NFO index options"},
		{"three strikes", func(r *PresetRequest) { r.Strikes = r.Strikes[:3] }, opts,
			"/strikes: an iron condor takes 4 strikes; 3 given"},
		{"same strike twice", func(r *PresetRequest) { r.Strikes[1] = "25000" }, opts,
			"/strikes: the strikes of an iron condor must differ; 25000 is given twice"},
		{"not a price", func(r *PresetRequest) { r.Strikes[0] = "25k" }, opts,
			`/strikes/0: strike "25k" must be a positive decimal with at most 2 decimals, like 24000, 172.5 or 0.05`},
		{"limit without prices", func(r *PresetRequest) { r.Type = "limit" }, opts,
			"/limitPrices: limit orders need 4 limit prices, one per leg in the order of the legs (buys first); 0 given"},
		{"limit price off the tick", func(r *PresetRequest) { r.Type, r.LimitPrices = "limit", []string{"10", "10.02", "30", "30"} }, opts,
			"/limitPrices/1: limitPrice 10.02 is not a multiple of the NIFTY tick size 0.05; use 10 or 10.05"},
		{"market with prices", func(r *PresetRequest) { r.LimitPrices = []string{"1"} }, opts,
			"/limitPrices: market orders take no limitPrices"},
		{"lots that would wrap round", func(r *PresetRequest) { r.Lots = 999999999999999999 }, opts,
			"/lots: lots must be at most 1,000,000,000, not 999999999999999999"},
		{"everything missing", func(r *PresetRequest) { *r = PresetRequest{} }, opts,
			"/symbol: symbol is required: the index, like NIFTY\n/expiry: expiry is required, written YYYY-MM-DD\n/strikes: an iron condor takes 4 strikes; 0 given\n" +
				"/lots: lots is required: how many lots of each leg, from 1\n/type: type must be \"limit\" or \"market\", not \"\"\n/product: product must be \"intraday\" or \"delivery\", not \"\""},
		{"wrong side", func(r *PresetRequest) { r.Side = "short" }, opts,
			`/side: side must be "buy" or "sell" (lower case), not "short"; an iron condor is usually sell`},
		{"expired", func(r *PresetRequest) { r.Expiry = "2026-12-01" }, Options{AsOf: contractAsOf.AddDate(0, 1, 0), Contracts: master},
			"/expiry: contract expired: expiry 2026-12-01 is before the as-of date 2026-12-29"},
		{"no master", func(r *PresetRequest) {}, Options{AsOf: contractAsOf},
			"/lots: lots need the lot size from an instrument master: start basketlink with --contracts FILE"},
	}
	p, _ := FindPreset("iron-condor")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := good
			req.Strikes = append([]string(nil), good.Strikes...)
			tt.edit(&req)
			res := BuildPreset(p, req, tt.opts)
			if res.Valid {
				t.Fatal("valid")
			}
			var got []string
			for _, e := range res.Errors {
				got = append(got, e.Pointer+": "+e.Message)
				if e.Leg != nil {
					t.Errorf("error %+v names a leg: preset errors point into the request", e)
				}
			}
			if strings.Join(got, "\n") != tt.want {
				t.Errorf("errors\n%s\nwant\n%s", strings.Join(got, "\n"), tt.want)
			}
		})
	}
}

func TestBuildPresetUnknown(t *testing.T) {
	res := BuildPreset(Preset{Name: "butterfly"}, PresetRequest{}, Options{})
	if res.Valid || len(res.Errors) != 1 || res.Errors[0].Message != `there is no preset "butterfly"` {
		t.Errorf("%+v", res)
	}
}

func TestParsePresetRequest(t *testing.T) {
	req, errs := ParsePresetRequest([]byte(`{"symbol":"NIFTY","expiry":"2026-12-29","strikes":["25000",26000.5],"lots":2,"side":"buy","type":"limit","limitPrices":[1,"2.5"],"product":"intraday"}`))
	if len(errs) != 0 || req.Symbol != "NIFTY" || strings.Join(req.Strikes, ",") != "25000,26000.5" || req.Lots != 2 || strings.Join(req.LimitPrices, ",") != "1,2.5" {
		t.Fatalf("%+v %+v", req, errs)
	}
	_, errs = ParsePresetRequest([]byte(`{"symbol":5,"strikes":[true],"lots":1.5,"qty":3}`))
	var got []string
	for _, e := range errs {
		got = append(got, e.Pointer+": "+e.Message)
	}
	want := "/symbol: symbol must be a string, not 5 (a number)\n/strikes/0: strikes must hold prices, not true (a boolean)\n" +
		"/lots: lots must be a whole number of lots from 1, not 1.5 (a number)\n/qty: qty is not a preset field; they are symbol, expiry, strikes, lots, side, type, limitPrices, product"
	if strings.Join(got, "\n") != want {
		t.Errorf("errors\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
	if _, errs := ParsePresetRequest([]byte(`[1]`)); len(errs) != 1 || errs[0].Pointer != "" {
		t.Errorf("array body: %+v", errs)
	}
}
