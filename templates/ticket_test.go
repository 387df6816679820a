package templates

import (
	"context"
	"testing"

	"basketlink/basket"
	"basketlink/i18n"
)

// TestTickets reads the documented legs, and one priced in lakhs, as trade tickets.
func TestTickets(t *testing.T) {
	legs := `[{"exch":"NSE","symbol":"ACC","series":"EQ","inst":"EQT","qty":10,"side":"buy","type":"limit","product":"intraday","limitPrice":2700.55,"validity":"day"},
	{"exch":"NFO","symbol":"NIFTY","expiry":"2026-12-29","inst":"FUTIDX","qty":2000,"side":"sell","type":"market","product":"intraday","limitPrice":0,"validity":"ioc","discQty":500,"mktProt":5},
	{"exch":"NFO","symbol":"NIFTY","expiry":"2026-12-29","optType":"CE","inst":"OPTIDX","strike":"26200","qty":75,"side":"buy","type":"limit","product":"delivery","limitPrice":145050.5,"validity":"day"}]`
	res := basket.Validate([]byte(legs), basket.Options{MaxLegs: 20})
	if !res.Valid {
		t.Fatalf("the legs are not valid: %+v", res.Errors)
	}
	ts := Tickets(res.Parsed)
	want := []Ticket{
		{Side: "buy", Qty: "10", Contract: "ACC EQ · NSE", Inst: "EQT", Type: "limit", Price: "₹2,700.55", Validity: "day", Product: "intraday"},
		{Side: "sell", Qty: "2,000", Contract: "NIFTY 29 DEC 2026 FUT", Inst: "FUTIDX", Type: "market", Price: "", Validity: "ioc", Product: "intraday", DiscQty: "500", MktProt: "5"},
		{Side: "buy", Qty: "75", Contract: "NIFTY 29 DEC 2026 26200 CE", Inst: "OPTIDX", Type: "limit", Price: "₹1,45,050.50", Validity: "day", Product: "delivery"},
	}
	if len(ts) != len(want) {
		t.Fatalf("%d tickets, want %d", len(ts), len(want))
	}
	for i := range want {
		if ts[i] != want[i] {
			t.Errorf("ticket %d:\n got %+v\nwant %+v", i, ts[i], want[i])
		}
	}
	// A leg with values no rule allows still reads: its values as they are.
	bad := NewTicket(basket.Leg{Symbol: "X", LimitPrice: "abc", Type: "limit"})
	if bad.Contract != "X" || bad.Price != "abc" {
		t.Errorf("broken leg: %+v", bad)
	}
}

// TestPageWords: a validation message on the builder names the field by its
// label and dates as people write them; quoted values stay as typed.
func TestPageWords(t *testing.T) {
	for in, want := range map[string]string{
		"limit orders need a limitPrice above 0":                                  "Limit orders need a Limit price above 0",
		"limitPrice is required on EQT legs":                                      "Limit price is required on EQT legs",
		"contract expired: expiry 2026-11-27 is before the as-of date 2026-11-29": "Contract expired: Expiry 27 Nov 2026 is before the as-of date 29 Nov 2026",
		`side must be "buy" or "sell" (lower case), not "qty" (a string)`:         `Side must be "buy" or "sell" (lower case), not "qty" (a string)`,
		"discQty (600) cannot be more than qty (500)":                             "Disclosed qty (600) cannot be more than Quantity (500)",
	} {
		if got := pageWords(in); got != want {
			t.Errorf("pageWords(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

// TestSummary: the orders in one line, in the page's language, each part's
// words one space apart.
func TestSummary(t *testing.T) {
	ts := []Ticket{
		{Side: "buy", Qty: "10", Contract: "ACC EQ · NSE"},
		{Side: "sell", Qty: "2000", Contract: "NIFTY 29 DEC 2026 FUT"},
		{Side: " short", Qty: "", Contract: "X  Y\t"},
	}
	for l, want := range map[i18n.Lang]string{
		i18n.EN: "BUY 10 ACC EQ · NSE, SELL 2000 NIFTY 29 DEC 2026 FUT, SHORT X Y",
		i18n.HI: "खरीदें 10 ACC EQ · NSE, बेचें 2000 NIFTY 29 DEC 2026 FUT, SHORT X Y",
	} {
		if got := Summary(i18n.With(context.Background(), l), ts); got != want {
			t.Errorf("%s:\n got %q\nwant %q", l, got, want)
		}
	}
	if got := Summary(context.Background(), nil); got != "" {
		t.Errorf("no tickets: %q", got)
	}
}

// TestContractName names contracts as traders write them, also from legs no
// rule allows (the words as they are, in capitals for an expiry).
func TestContractName(t *testing.T) {
	for _, c := range []struct {
		leg  basket.Leg
		want string
	}{
		{basket.Leg{Inst: "EQT", Symbol: "RELIANCE", Series: "EQ", Exch: "NSE"}, "RELIANCE EQ · NSE"},
		{basket.Leg{Inst: "EQT", Symbol: "RELIANCE", Exch: "BSE"}, "RELIANCE · BSE"},
		{basket.Leg{Inst: "EQT", Symbol: "IDEA", Series: "EQ"}, "IDEA EQ"},
		{basket.Leg{Inst: "FUTIDX", Symbol: "NIFTY", Expiry: "2026-12-29"}, "NIFTY 29 DEC 2026 FUT"},
		{basket.Leg{Inst: "FUTIDX", Symbol: "NIFTY", Expiry: "2027-01-07"}, "NIFTY 7 JAN 2027 FUT"},
		{basket.Leg{Inst: "OPTIDX", Symbol: "BANKNIFTY", Expiry: "2026-12-29", Strike: "34000", OptType: "PE"}, "BANKNIFTY 29 DEC 2026 34000 PE"},
		{basket.Leg{Inst: "OPTIDX", Symbol: "NIFTY", Expiry: "2026-13-01", Strike: "1"}, "NIFTY 2026-13-01 1"},
		{basket.Leg{Inst: "OPTIDX", Symbol: "NIFTY", Expiry: "soon", OptType: "CE"}, "NIFTY SOON CE"},
		{basket.Leg{Inst: "FUTIDX", Symbol: "NIFTY"}, "NIFTY FUT"},
		{basket.Leg{Inst: "FUTSTK", Symbol: "SBIN", Series: "XX", Expiry: "2026-12-29", Strike: "5", OptType: "CE"}, "SBIN XX 29 DEC 2026 5 CE FUTSTK"},
		{basket.Leg{Symbol: "X"}, "X"},
		{basket.Leg{}, ""},
		{basket.Leg{Inst: "OPTIDX", Symbol: "A VERY LONG SYMBOL NAME THAT FILLS THE WHOLE BUFFER AND MORE", Expiry: "2026-12-29", Strike: "123456.5", OptType: "CE"},
			"A VERY LONG SYMBOL NAME THAT FILLS THE WHOLE BUFFER AND MORE 29 DEC 2026 123456.5 CE"},
	} {
		if got := contractName(c.leg); got != c.want {
			t.Errorf("contractName(%+v) = %q, want %q", c.leg, got, c.want)
		}
	}
}
