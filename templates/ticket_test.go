package templates

import (
	"testing"

	"basketlink/basket"
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
	ts := Tickets(res.Items)
	want := []Ticket{
		{Side: "buy", Qty: "10", Contract: "ACC EQ · NSE", Inst: "EQT", Type: "limit", Price: "₹2,700.55", Validity: "day", Product: "intraday"},
		{Side: "sell", Qty: "2000", Contract: "NIFTY 29 DEC 2026 FUT", Inst: "FUTIDX", Type: "market", Price: "", Validity: "ioc", Product: "intraday", DiscQty: "500", MktProt: "5"},
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
	// A broken leg (the inspector shows them) still reads: its values as they are.
	bad := NewTicket(map[string]any{"symbol": "X", "limitPrice": "abc", "type": "limit"})
	if bad.Contract != "X" || bad.Price != "abc" {
		t.Errorf("broken leg: %+v", bad)
	}
}
