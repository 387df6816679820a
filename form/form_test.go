package form_test

import (
	"net/url"
	"os"
	"strings"
	"testing"

	"basketlink/basket"
	"basketlink/form"
)

// TestJSON checks what the typed fields become: the documented example first,
// then numbers that are and are not numbers, and fields the instrument does not take.
func TestJSON(t *testing.T) {
	doc, err := os.ReadFile("../basket/testdata/documented.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		leg  form.Leg
		want string
	}{
		{"documented leg 1", form.Leg{"inst": "EQT", "exch": "NSE", "symbol": "ACC", "series": "EQ", "qty": "10", "side": "buy",
			"type": "limit", "product": "intraday", "limitPrice": "2700.55", "validity": "day", "discQty": ""},
			strings.SplitAfter(string(doc), "},")[0]},
		{"a word for a number stays a string", form.Leg{"inst": "EQT", "qty": "ten", "limitPrice": "1e2"},
			`{"inst":"EQT","qty":"ten","limitPrice":1e2}`},
		{"spaces trimmed, empty left out", form.Leg{"inst": "EQT", "symbol": " ACC ", "series": ""},
			`{"symbol":"ACC","inst":"EQT"}`},
		{"strike is always a string", form.Leg{"inst": "OPTIDX", "strike": "34000"},
			`{"inst":"OPTIDX","strike":"34000"}`},
		{"fields the instrument does not take are dropped", form.Leg{"inst": "FUTIDX", "series": "EQ", "strike": "1", "symbol": "NIFTY"},
			`{"symbol":"NIFTY","inst":"FUTIDX"}`},
		{"mktProt only for market", form.Leg{"inst": "EQT", "type": "limit", "mktProt": "5"},
			`{"inst":"EQT","type":"limit"}`},
		{"a number with junk after it is a string", form.Leg{"inst": "EQT", "qty": "10 20"},
			`{"inst":"EQT","qty":"10 20"}`},
		{"empty instrument is kept for validation to name", form.Leg{"inst": ""}, `{"inst":""}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(tt.leg.JSON())
			want := strings.TrimPrefix(strings.TrimSuffix(tt.want, ","), "[")
			if got != want {
				t.Errorf("JSON\n got %s\nwant %s", got, want)
			}
		})
	}
}

// TestParseApply reads legs.N.key fields and applies each button.
func TestParseApply(t *testing.T) {
	v := url.Values{
		"as_of":       {"2022-11-20"},
		"legs.0.inst": {"EQT"}, "legs.0.symbol": {"A"},
		"legs.1.inst": {"FUTIDX"}, "legs.1.symbol": {"B"}, "legs.1.exch": {"NSE"},
		"legs.2.inst": {"EQT"}, "legs.2.symbol": {"C"},
		"legs.4.inst": {"EQT"}, "legs.4.symbol": {"after a gap: ignored"},
	}
	symbols := func(b form.Basket) string {
		var s []string
		for _, l := range b.Legs {
			s = append(s, l["symbol"])
		}
		return strings.Join(s, ",")
	}
	b := form.Parse(v, 20)
	if symbols(b) != "A,B,C" || b.AsOf != "2022-11-20" {
		t.Fatalf("parsed %q as of %q", symbols(b), b.AsOf)
	}
	if b.Legs[1]["exch"] != "NFO" {
		t.Errorf("a future's exchange %q, want it moved to NFO", b.Legs[1]["exch"])
	}
	if got := symbols(form.Parse(v, 2)); got != "A,B" {
		t.Errorf("with max 2: %q", got)
	}
	tests := []struct {
		op, want, err string
	}{
		{"check", "A,B,C", ""},
		{"remove:1", "A,C", ""},
		{"dup:0", "A,A,B,C", ""},
		{"up:0", "A,B,C", ""},
		{"up:2", "A,C,B", ""},
		{"down:0", "B,A,C", ""},
		{"down:2", "A,B,C", ""},
		{"add", "A,B,C,", ""},
		{"remove:3", "A,B,C", "no leg"},
		{"dup:x", "A,B,C", "no leg"},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			b := form.Parse(v, 20)
			err := b.Apply(tt.op, 20)
			if got := symbols(b); got != tt.want {
				t.Errorf("legs %q, want %q", got, tt.want)
			}
			if (err != nil) != (tt.err != "") || err != nil && !strings.Contains(err.Error(), tt.err) {
				t.Errorf("error %v, want one with %q", err, tt.err)
			}
		})
	}
	full := form.Parse(v, 3)
	if err := full.Apply("add", 3); err == nil || len(full.Legs) != 3 {
		t.Errorf("add past the limit: %v, %d legs", err, len(full.Legs))
	}
	if err := full.Apply("dup:0", 3); err == nil || len(full.Legs) != 3 {
		t.Errorf("duplicate past the limit: %v, %d legs", err, len(full.Legs))
	}
}

// TestPlace puts each error of the shared validation on its field, its leg or the root.
func TestPlace(t *testing.T) {
	legs := []form.Leg{{"inst": "EQT", "type": "limit", "limitPrice": "0", "qty": "x"}}
	b := form.Basket{Legs: legs}
	res := basket.Validate(b.JSON(), basket.Options{})
	e := form.Place(res, legs)
	if msgs := e.Field(0, "limitPrice"); len(msgs) != 1 || !strings.Contains(msgs[0], "above 0") {
		t.Errorf("limitPrice errors %q", msgs)
	}
	if msgs := e.Field(0, "qty"); len(msgs) != 1 {
		t.Errorf("qty errors %q", msgs)
	}
	if msgs := e.Field(0, "symbol"); len(msgs) != 1 {
		t.Errorf("missing symbol errors %q", msgs)
	}
	if len(e.Legs) != len(res.Errors) || !e.Any() {
		t.Errorf("summary holds %d of %d errors", len(e.Legs), len(res.Errors))
	}
	root := form.Place(basket.Validate([]byte(`[]`), basket.Options{}), nil)
	if len(root.Root) != 1 {
		t.Errorf("an empty basket: root errors %q", root.Root)
	}
}

// TestParseUpperCases: traders type "reliance"; the form writes what the API takes.
func TestParseUpperCases(t *testing.T) {
	b := form.Parse(url.Values{"legs.0.inst": {"EQT"}, "legs.0.symbol": {" reliance "}, "legs.0.series": {"eq"}}, 0)
	if got := b.Legs[0]["symbol"] + " " + b.Legs[0]["series"]; got != "RELIANCE EQ" {
		t.Errorf("symbol and series read as %q", got)
	}
}
