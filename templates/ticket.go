package templates

import (
	"strings"

	"basketlink/basket"
	"basketlink/i18n"
)

// Ticket is one leg as a trade ticket: what a trader reads, built from a
// leg's JSON values (valid or not: the inspector shows broken legs too).
type Ticket struct {
	Side     string // buy, sell, or what the leg says
	Qty      string
	Contract string // NIFTY 29 DEC 2026 26200 CE, RELIANCE EQ · NSE
	Inst     string
	Type     string // limit, market, or what the leg says
	Price    string // ₹1,45,050.50; "" for a market order
	Validity string
	Product  string
	DiscQty  string
	MktProt  string
}

// Tickets turns legs into tickets.
func Tickets(items []map[string]any) []Ticket {
	ts := make([]Ticket, len(items))
	for i, it := range items {
		ts[i] = NewTicket(it)
	}
	return ts
}

// NewTicket reads one leg.
func NewTicket(item map[string]any) Ticket {
	c := func(k string) string { return basket.Cell(item, k) }
	t := Ticket{
		Side: c("side"), Qty: c("qty"), Inst: c("inst"), Type: c("type"),
		Validity: c("validity"), Product: c("product"), DiscQty: c("discQty"), MktProt: c("mktProt"),
		Contract: contractName(item),
	}
	// A market order's price is the market's: its limitPrice 0 says nothing.
	if p := c("limitPrice"); t.Type != "market" || (p != "0" && p != "") {
		t.Price, _ = i18n.Rupees(p)
	}
	return t
}

// contractName is the contract as traders write it: RELIANCE EQ · NSE,
// NIFTY 29 DEC 2026 FUT, NIFTY 29 DEC 2026 26200 CE.
func contractName(item map[string]any) string {
	c := func(k string) string { return basket.Cell(item, k) }
	parts := []string{c("symbol")}
	switch c("inst") {
	case "EQT":
		parts = append(parts, c("series"))
		name := strings.Join(nonEmpty(parts), " ")
		if ex := c("exch"); ex != "" {
			name += " · " + ex
		}
		return name
	case "FUTIDX":
		parts = append(parts, strings.ToUpper(i18n.Date(c("expiry"))), "FUT")
	case "OPTIDX":
		parts = append(parts, strings.ToUpper(i18n.Date(c("expiry"))), c("strike"), c("optType"))
	default:
		parts = append(parts, c("series"), strings.ToUpper(i18n.Date(c("expiry"))), c("strike"), c("optType"), c("inst"))
	}
	return strings.Join(nonEmpty(parts), " ")
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// sideKey is the catalog key of the ticket's side, "" when it is neither.
func (t Ticket) sideKey() string {
	switch t.Side {
	case "buy", "sell":
		return "ticket." + t.Side
	}
	return ""
}

// typeText, validityText and productText are the leg's values in traders'
// words; a value the catalog does not know is shown as it is.
func (t Ticket) typeText(l i18n.Lang) string { return known(l, "ticket.type."+t.Type, t.Type) }

func (t Ticket) validityText(l i18n.Lang) string {
	return known(l, "ticket.validity."+t.Validity, t.Validity)
}

func (t Ticket) productText(l i18n.Lang) string {
	key := "ticket.product." + t.Product
	if t.Product == "delivery" && (t.Inst == "FUTIDX" || t.Inst == "OPTIDX") {
		key = "ticket.product.carry" // F&O held overnight is NRML, not CNC
	}
	return known(l, key, t.Product)
}

func known(l i18n.Lang, key, raw string) string {
	if raw == "" || !i18n.Has(key) {
		return raw
	}
	return l.T(key)
}
