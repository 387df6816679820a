package schema

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestShapesAsDocumented(t *testing.T) {
	for _, tt := range []struct {
		inst, key string
		allowed   bool
		required  bool
		choices   string
	}{
		{"EQT", "exch", true, true, "[NSE BSE]"},
		{"FUTIDX", "exch", true, true, "[NFO]"},
		{"OPTIDX", "exch", true, true, "[NFO]"},
		{"EQT", "series", true, true, "[]"},
		{"FUTIDX", "series", false, false, "[]"},
		{"EQT", "expiry", false, false, "[]"},
		{"OPTIDX", "expiry", true, true, "[]"},
		{"OPTIDX", "optType", true, true, "[CE PE]"},
		{"FUTIDX", "optType", false, false, "[]"},
		{"OPTIDX", "strike", true, true, "[]"},
		{"OPTIDX", "inst", true, true, "[OPTIDX]"},
		{"EQT", "side", true, true, "[buy sell]"},
		{"EQT", "type", true, true, "[limit market]"},
		{"EQT", "product", true, true, "[intraday delivery]"},
		{"EQT", "validity", true, true, "[day ioc]"},
		{"FUTIDX", "discQty", true, false, "[]"},
		{"OPTIDX", "mktProt", true, false, "[]"},
		{"EQT", "price", false, false, "[]"},
		{"FUTSTK", "exch", false, false, "[]"},
	} {
		if got := Allowed(tt.inst, tt.key); got != tt.allowed {
			t.Errorf("Allowed(%s, %s) = %v", tt.inst, tt.key, got)
		}
		if got := Required(tt.inst, tt.key); got != tt.required {
			t.Errorf("Required(%s, %s) = %v", tt.inst, tt.key, got)
		}
		if got := fmt.Sprint(Choices(tt.inst, tt.key)); got != tt.choices {
			t.Errorf("Choices(%s, %s) = %s, want %s", tt.inst, tt.key, got, tt.choices)
		}
	}
	for _, inst := range Insts {
		keys := AllowedKeys(inst)
		for _, k := range shapes[inst].Required {
			if !slices.Contains(keys, k) {
				t.Errorf("%s requires %s but does not allow it", inst, k)
			}
		}
	}
}

func TestPattern(t *testing.T) {
	for _, tt := range []struct {
		inst, key, match, miss string
	}{
		{"EQT", "symbol", "M&M", "reliance"},
		{"OPTIDX", "symbol", "BANKNIFTY", "NIFTY 50"},
		{"EQT", "series", "EQ", "EQUITY"},
		{"FUTIDX", "expiry", "2026-12-29", "29-12-2026"},
		{"OPTIDX", "strike", "172.5", "0172.5"},
	} {
		p := Pattern(tt.inst, tt.key)
		if p == nil || !p.MatchString(tt.match) || p.MatchString(tt.miss) {
			t.Errorf("Pattern(%s, %s) = %v: want it to match %q and not %q", tt.inst, tt.key, p, tt.match, tt.miss)
		}
	}
	for _, tt := range [][2]string{{"EQT", "side"}, {"EQT", "expiry"}, {"FUTSTK", "symbol"}} {
		if p := Pattern(tt[0], tt[1]); p != nil {
			t.Errorf("Pattern(%s, %s) = %v, want none", tt[0], tt[1], p)
		}
	}
}

func TestValidateReportsLeaves(t *testing.T) {
	if _, err := Validate("FUTSTK", map[string]any{}); !errors.Is(err, ErrUnknownInst) {
		t.Fatalf("unknown inst: %v", err)
	}
	v, err := Validate("EQT", map[string]any{"inst": "EQT", "series": "EQ", "foo": 1.0})
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, x := range v {
		fields = append(fields, x.Field+":"+x.Keyword)
	}
	slices.Sort(fields)
	want := "[exch:required foo:additionalProperties limitPrice:required product:required qty:required side:required symbol:required type:required validity:required]"
	if fmt.Sprint(fields) != want {
		t.Fatalf("violations %v\nwant %s", fields, want)
	}
}
