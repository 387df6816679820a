package contracts

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const synthetic = "../testdata/contracts-synthetic.csv"

func loadSynthetic(t *testing.T) *Master {
	t.Helper()
	m, err := LoadFile(synthetic)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestLoadSynthetic(t *testing.T) {
	m := loadSynthetic(t)
	if m.Len() != 1742 {
		t.Errorf("Len = %d, want 1742", m.Len())
	}
	if got := m.Symbols("NFO", "OPTIDX"); !slices.Equal(got, []string{"BANKNIFTY", "FINNIFTY", "NIFTY"}) {
		t.Errorf("option symbols = %v", got)
	}
	if got := m.Symbols("BSE", "EQT"); !slices.Equal(got, []string{"INFY", "RELIANCE", "TCS"}) {
		t.Errorf("BSE equities = %v", got)
	}
	want := []string{"2026-12-01", "2026-12-08", "2026-12-15", "2026-12-22", "2026-12-29", "2027-01-25"}
	if got := m.Expiries("NFO", "OPTIDX", "NIFTY"); !slices.Equal(got, want) {
		t.Errorf("NIFTY expiries = %v, want %v", got, want)
	}
	strikes := m.Strikes("NFO", "NIFTY", "2026-12-29")
	if len(strikes) != 81 || strikes[0] != 2400000 || strikes[80] != 2800000 {
		t.Errorf("NIFTY strikes: %d from %v to %v", len(strikes), strikes[0], strikes[len(strikes)-1])
	}
	if lot, ok := m.LotSize("NFO", "OPTIDX", "NIFTY", "2026-12-29"); !ok || lot != 75 {
		t.Errorf("NIFTY lot = %d %v", lot, ok)
	}
	if lot, ok := m.LotSize("NFO", "FUTIDX", "BANKNIFTY", "1999-01-01"); !ok || lot != 35 {
		t.Errorf("BANKNIFTY future lot for an unlisted expiry = %d %v", lot, ok)
	}
	if _, ok := m.LotSize("NFO", "OPTIDX", "NIFTYX", ""); ok {
		t.Error("an unlisted symbol has a lot size")
	}
}

func TestLookup(t *testing.T) {
	m := loadSynthetic(t)
	opt := Query{Exch: "NFO", Inst: "OPTIDX", Symbol: "NIFTY", Expiry: "2026-12-29", OptType: "CE", Strike: 2600000}
	c, miss := m.Lookup(opt)
	if c == nil || miss.Field != "" || c.LotSize != 75 || c.Tick != 5 || c.Strike != 2600000 {
		t.Fatalf("NIFTY 26000 CE: %+v %+v", c, miss)
	}
	fut := Query{Exch: "NFO", Inst: "FUTIDX", Symbol: "BANKNIFTY", Expiry: "2027-02-23"}
	if c, _ := m.Lookup(fut); c == nil || c.LotSize != 35 || c.Tick != 10 {
		t.Fatalf("BANKNIFTY future: %+v", c)
	}
	eq := Query{Exch: "NSE", Inst: "EQT", Symbol: "SBIN", Series: "BE"}
	if c, _ := m.Lookup(eq); c == nil || c.LotSize != 1 {
		t.Fatalf("SBIN BE: %+v", c)
	}

	tests := []struct {
		name string
		edit func(q *Query)
		want Miss
	}{
		{"unknown symbol", func(q *Query) { q.Symbol = "NIFTYX" }, Miss{Field: "symbol"}},
		{"equity symbol as an option", func(q *Query) { q.Symbol = "RELIANCE" },
			Miss{Field: "symbol", ListedAs: []Listing{{"NSE", "EQT"}, {"BSE", "EQT"}}}},
		{"unlisted expiry", func(q *Query) { q.Symbol, q.Expiry = "FINNIFTY", "2026-12-22" },
			Miss{Field: "expiry", Expiries: []string{"2026-12-29", "2027-01-25"}}},
		{"between strikes", func(q *Query) { q.Strike = 2601000 }, Miss{Field: "strike", Below: 2600000, Above: 2605000}},
		{"below the grid", func(q *Query) { q.Strike = 100 }, Miss{Field: "strike", Above: 2400000}},
		{"above the grid", func(q *Query) { q.Strike = 9000000 }, Miss{Field: "strike", Below: 2800000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := opt
			tt.edit(&q)
			c, miss := m.Lookup(q)
			if c != nil {
				t.Fatalf("found %+v", c)
			}
			if miss.Field != tt.want.Field || !slices.Equal(miss.ListedAs, tt.want.ListedAs) ||
				!slices.Equal(miss.Expiries, tt.want.Expiries) || miss.Below != tt.want.Below || miss.Above != tt.want.Above {
				t.Errorf("miss = %+v, want %+v", miss, tt.want)
			}
		})
	}
	if _, miss := m.Lookup(Query{Exch: "NSE", Inst: "EQT", Symbol: "SBIN", Series: "XX"}); miss.Field != "series" || !slices.Equal(miss.Series, []string{"BE", "EQ"}) {
		t.Errorf("unlisted series: %+v", miss)
	}
	var none *Master
	if c, miss := none.Lookup(opt); c != nil || miss.Field != "symbol" {
		t.Errorf("nil master: %+v %+v", c, miss)
	}
}

const head = "exch,symbol,series,inst,expiry,opt_type,strike,lot_size,tick_size\n"

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, csv string
		line, col int
		field     string
		msg       string // a part of the message
	}{
		{"empty file", "", 1, 1, "", "the file is empty"},
		{"wrong header", "exch,symbol,series,inst,expiry,opttype,strike,lot_size,tick_size\n", 1, 32, "", `column 6 is "opttype", not "opt_type"`},
		{"short row", head + "NFO,NIFTY,,FUTIDX,2026-12-29,,,75\n", 2, 1, "", "a row holds 9 columns"},
		{"bad quote", head + "NFO,NI\"FTY,,FUTIDX,2026-12-29,,,75,0.05\n", 2, 7, "", "bare \" in non-quoted-field"},
		{"unknown inst", head + "NFO,NIFTY,,OPTSTK,2026-12-29,CE,100,75,0.05\n", 2, 12, "inst", `"OPTSTK" is not an instrument`},
		{"exchange for inst", head + "NSE,NIFTY,,FUTIDX,2026-12-29,,,75,0.05\n", 2, 1, "exch", `"NSE" is not an exchange for FUTIDX; use NFO`},
		{"lower-case symbol", head + "NFO,nifty,,FUTIDX,2026-12-29,,,75,0.05\n", 2, 5, "symbol", `"nifty" is not a symbol`},
		{"equity without series", head + "NSE,ACC,,EQT,,,,1,0.05\n", 2, 9, "series", `"" is not a series`},
		{"series on a future", head + "NFO,NIFTY,EQ,FUTIDX,2026-12-29,,,75,0.05\n", 2, 11, "series", `must be empty for FUTIDX (it holds "EQ")`},
		{"expiry on an equity", head + "NSE,ACC,EQ,EQT,2026-12-29,,,1,0.05\n", 2, 16, "expiry", "must be empty for EQT"},
		{"not a date", head + "NFO,NIFTY,,FUTIDX,2026-02-30,,,75,0.05\n", 2, 19, "expiry", `"2026-02-30" is not a date written YYYY-MM-DD`},
		{"option type", head + "NFO,NIFTY,,OPTIDX,2026-12-29,CALL,24000,75,0.05\n", 2, 30, "opt_type", `"CALL" is not an option type; use CE or PE`},
		{"strike with 3 decimals", head + "NFO,NIFTY,,OPTIDX,2026-12-29,CE,24000.125,75,0.05\n", 2, 33, "strike", "at most 2 decimals"},
		{"strike on a future", head + "NFO,NIFTY,,FUTIDX,2026-12-29,,24000,75,0.05\n", 2, 31, "strike", "must be empty for FUTIDX"},
		{"zero lot", head + "NFO,NIFTY,,FUTIDX,2026-12-29,,,0,0.05\n", 2, 32, "lot_size", `"0" is not a lot size`},
		{"float lot", head + "NFO,NIFTY,,FUTIDX,2026-12-29,,,7.5,0.05\n", 2, 32, "lot_size", `"7.5" is not a lot size`},
		{"zero tick", head + "NFO,NIFTY,,FUTIDX,2026-12-29,,,75,0\n", 2, 35, "tick_size", `"0" must be a positive decimal`},
		{"negative tick", head + "NFO,NIFTY,,FUTIDX,2026-12-29,,,75,-0.05\n", 2, 35, "tick_size", "positive decimal"},
		{"duplicate", head + "# two of the same\nNFO,NIFTY,,FUTIDX,2026-12-29,,,75,0.05\n\nNFO,NIFTY,,FUTIDX,2026-12-29,,,75,0.1\n", 5, 1, "", "the same contract as line 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.csv), "m.csv")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.File != "m.csv" || pe.Line != tt.line || pe.Column != tt.col || pe.Field != tt.field || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("got %s:%d:%d field %q %q\nwant line %d column %d field %q containing %q", pe.File, pe.Line, pe.Column, pe.Field, pe.Msg, tt.line, tt.col, tt.field, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), "m.csv:") {
				t.Errorf("Error() = %q, want it to start with the file name", err)
			}
		})
	}
}

func TestLoadErrorText(t *testing.T) {
	_, err := Load(strings.NewReader(head+"NFO,NIFTY,,FUTIDX,2026-12-29,,,75,0.05\nNFO,NIFTY,,OPTIDX,2026-12-29,CE,24k,75,0.05\n"), "master.csv")
	want := `master.csv:3:33: strike: "24k" must be a positive decimal with at most 2 decimals, like 24000, 172.5 or 0.05`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile("testdata/no-such-file.csv")
	if err == nil || !strings.Contains(err.Error(), "no-such-file.csv") {
		t.Errorf("err = %v", err)
	}
}

func TestPaise(t *testing.T) {
	good := map[string]Paise{"24000": 2400000, "172.5": 17250, "0.05": 5, "1.10": 110, "0.01": 1}
	for s, want := range good {
		p, err := ParsePaise(s)
		if err != nil || p != want {
			t.Errorf("ParsePaise(%q) = %d, %v; want %d", s, p, err, want)
		}
	}
	for _, s := range []string{"", "0", "0.00", "-1", "+1", "1.", ".5", "1.234", "1e3", "１", "1,5", "9999999999999999"} {
		if p, err := ParsePaise(s); err == nil {
			t.Errorf("ParsePaise(%q) = %d, want an error", s, p)
		}
	}
	if p, err := ParseAmount("0"); err != nil || p != 0 {
		t.Errorf("ParseAmount(0) = %d %v", p, err)
	}
	for p, want := range map[Paise]string{2400000: "24000", 17250: "172.5", 5: "0.05", 110: "1.1", 0: "0", 1: "0.01"} {
		if got := p.String(); got != want {
			t.Errorf("Paise(%d).String() = %q, want %q", int64(p), got, want)
		}
	}
}
