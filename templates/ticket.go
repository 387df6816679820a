package templates

import (
	"strings"
	"sync"

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
func Tickets(legs []basket.Leg) []Ticket {
	ts := make([]Ticket, len(legs))
	for i, l := range legs {
		ts[i] = NewTicket(l)
	}
	return ts
}

// NewTicket reads one leg.
func NewTicket(l basket.Leg) Ticket {
	t := Ticket{
		Side: l.Side, Qty: string(l.Qty), Inst: l.Inst, Type: l.Type,
		Validity: l.Validity, Product: l.Product, DiscQty: string(l.DiscQty), MktProt: string(l.MktProt),
		Contract: contractName(l),
	}
	// A market order's price is the market's: its limitPrice 0 says nothing.
	if p := string(l.LimitPrice); t.Type != "market" || (p != "0" && p != "") {
		t.Price, _ = i18n.Rupees(p)
	}
	return t
}

// contractName is the contract as traders write it: RELIANCE EQ · NSE,
// NIFTY 29 DEC 2026 FUT, NIFTY 29 DEC 2026 26200 CE.
func contractName(l basket.Leg) string {
	var parts []string
	switch l.Inst {
	case "EQT":
		name := join(l.Symbol, l.Series)
		if l.Exch != "" {
			name += " · " + l.Exch
		}
		return name
	case "FUTIDX":
		parts = []string{l.Symbol, strings.ToUpper(i18n.Date(l.Expiry)), "FUT"}
	case "OPTIDX":
		parts = []string{l.Symbol, strings.ToUpper(i18n.Date(l.Expiry)), l.Strike, l.OptType}
	default:
		parts = []string{l.Symbol, l.Series, strings.ToUpper(i18n.Date(l.Expiry)), l.Strike, l.OptType, l.Inst}
	}
	return join(parts...)
}

// join is the parts that are not empty, a space between each two.
func join(parts ...string) string {
	n := 0
	for _, p := range parts {
		n += len(p) + 1
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

// sideKey is the catalog key of the ticket's side, "" when it is neither.
func (t Ticket) sideKey() string {
	switch t.Side {
	case "buy":
		return "ticket.buy"
	case "sell":
		return "ticket.sell"
	}
	return ""
}

// sideText is the ticket's side in traders' words (BUY), or as the leg says it.
func (t Ticket) sideText(l i18n.Lang) string {
	if k := t.sideKey(); k != "" {
		return l.T(k)
	}
	return t.Side
}

// priceText is the price, "Market" for a market order, else a dash.
func (t Ticket) priceText(l i18n.Lang) string {
	switch {
	case t.Price != "":
		return t.Price
	case t.Type == "market":
		return l.T("ticket.at_market")
	}
	return "—"
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

// known is the words of key in l, or raw when not every language has key.
func known(l i18n.Lang, key, raw string) string {
	if raw == "" {
		return raw
	}
	if w, ok := valueWords()[l][key]; ok {
		return w
	}
	return raw
}

// valueWords are, per language, the words of the ticket's values (the keys
// ticket.type.*, ticket.validity.*, ticket.product.*) that every language
// has: looked up once, not on every ticket.
var valueWords = sync.OnceValue(func() map[i18n.Lang]map[string]string {
	m := map[i18n.Lang]map[string]string{}
	for _, l := range i18n.Langs() {
		m[l] = map[string]string{}
		for _, k := range i18n.Keys(l) {
			for _, prefix := range []string{"ticket.type.", "ticket.validity.", "ticket.product."} {
				if strings.HasPrefix(k, prefix) && i18n.Has(k) {
					m[l][k] = l.T(k)
				}
			}
		}
	}
	return m
})
