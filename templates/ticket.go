package templates

import (
	"strings"
	"sync"
	"time"

	"basketlink/basket"
	"basketlink/i18n"
)

// Ticket is one leg as a trade ticket: what a trader reads, built from a
// leg's JSON values (valid or not: the inspector shows broken legs too).
type Ticket struct {
	Side     string // buy, sell, or what the leg says
	Qty      string // 1,800: grouped as read in India
	Contract string // NIFTY 29 DEC 2026 26200 CE, RELIANCE EQ · NSE
	Inst     string
	Type     string // limit, market, or what the leg says
	Price    string // ₹1,45,050.50; "" for a market order
	Validity string
	Product  string
	DiscQty  string // grouped as Qty
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
		Side: l.Side, Qty: i18n.Count(string(l.Qty)), Inst: l.Inst, Type: l.Type,
		Validity: l.Validity, Product: l.Product, DiscQty: i18n.Count(string(l.DiscQty)), MktProt: string(l.MktProt),
		Contract: contractName(l),
	}
	// A market order's price is the market's: its limitPrice 0 says nothing.
	if p := string(l.LimitPrice); t.Type != "market" || (p != "0" && p != "") {
		t.Price, _ = i18n.Rupees(p)
	}
	return t
}

// contractName is the contract as traders write it: RELIANCE EQ · NSE,
// NIFTY 29 DEC 2026 FUT, NIFTY 29 DEC 2026 26200 CE. It is built in one
// buffer: every ticket of every view names its contract.
func contractName(l basket.Leg) string {
	var buf [64]byte
	b := buf[:0]
	switch l.Inst {
	case "EQT":
		b = appendWord(appendWord(b, l.Symbol), l.Series)
		if l.Exch != "" {
			b = append(append(b, " · "...), l.Exch...)
		}
	case "FUTIDX":
		b = appendWord(appendExpiry(appendWord(b, l.Symbol), l.Expiry), "FUT")
	case "OPTIDX":
		b = appendWord(appendWord(appendExpiry(appendWord(b, l.Symbol), l.Expiry), l.Strike), l.OptType)
	default:
		b = appendExpiry(appendWord(appendWord(b, l.Symbol), l.Series), l.Expiry)
		b = appendWord(appendWord(appendWord(b, l.Strike), l.OptType), l.Inst)
	}
	return string(b)
}

// appendWord appends w, after a space unless it is the first; nothing when w is "".
func appendWord(b []byte, w string) []byte {
	if w == "" {
		return b
	}
	if len(b) > 0 {
		b = append(b, ' ')
	}
	return append(b, w...)
}

// appendExpiry appends a YYYY-MM-DD expiry as i18n.Date writes it, in
// capitals (29 DEC 2026); other text in capitals as it is.
func appendExpiry(b []byte, expiry string) []byte {
	t, err := time.Parse(time.DateOnly, expiry)
	if err != nil {
		return appendWord(b, strings.ToUpper(expiry))
	}
	if len(b) > 0 {
		b = append(b, ' ')
	}
	start := len(b)
	b = t.AppendFormat(b, i18n.DateLayout)
	for i := start; i < len(b); i++ {
		if 'a' <= b[i] && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return b
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
func (t Ticket) sideText(w *ticketWords) string {
	switch t.Side {
	case "buy":
		return w.buy
	case "sell":
		return w.sell
	}
	return t.Side
}

// priceText is the price, "Market" for a market order, else a dash.
func (t Ticket) priceText(w *ticketWords) string {
	switch {
	case t.Price != "":
		return t.Price
	case t.Type == "market":
		return w.atMarket
	}
	return "—"
}

// typeText, validityText and productText are the leg's values in traders'
// words; a value the catalog does not know is shown as it is.
func (t Ticket) typeText(w *ticketWords) string { return w.known("ticket.type."+t.Type, t.Type) }

func (t Ticket) validityText(w *ticketWords) string {
	return w.known("ticket.validity."+t.Validity, t.Validity)
}

func (t Ticket) productText(w *ticketWords) string {
	key := "ticket.product." + t.Product
	if t.Product == "delivery" && (t.Inst == "FUTIDX" || t.Inst == "OPTIDX") {
		key = "ticket.product.carry" // F&O held overnight is NRML, not CNC
	}
	return w.known(key, t.Product)
}

// ticketWords are a ticket's words in one language, looked up in the
// catalog once (see words), not for every ticket of every view.
type ticketWords struct {
	lang                                                 i18n.Lang
	qty, price, typ, validity, product, discQty, mktProt string // the labels
	buy, sell, atMarket                                  string
	orders                                               []string // the tickets' titles, "Order 1" on: see order
	// values are the words of the leg's values that every language has, by
	// catalog key: ticket.type.*, ticket.validity.*, ticket.product.*.
	values map[string]string
}

// order is the title of ticket i, counting from 0: "Order 1".
func (w *ticketWords) order(i int) string {
	if i < len(w.orders) {
		return w.orders[i]
	}
	return w.lang.T("ticket.order", i+1)
}

// ticketID is the id of ticket i, counting from 0: "ticket-0".
func ticketID(i int) string {
	if i < len(ticketIDs) {
		return ticketIDs[i]
	}
	return "ticket-" + itoa(i)
}

// ticketIDs and ticketWords.orders are made once, for the tickets of a
// basket of up to basket.DefaultMaxLegs legs, rather than on every view.
var ticketIDs = func() []string {
	ids := make([]string, basket.DefaultMaxLegs)
	for i := range ids {
		ids[i] = "ticket-" + itoa(i)
	}
	return ids
}()

// known is the words of key, or raw when not every language has key.
func (w *ticketWords) known(key, raw string) string {
	if raw == "" {
		return raw
	}
	if s, ok := w.values[key]; ok {
		return s
	}
	return raw
}

// wordsIn is the ticket's words in l (English for a language with none).
func wordsIn(l i18n.Lang) *ticketWords {
	if w, ok := words()[l]; ok {
		return w
	}
	return words()[i18n.EN]
}

var words = sync.OnceValue(func() map[i18n.Lang]*ticketWords {
	m := map[i18n.Lang]*ticketWords{}
	for _, l := range i18n.Langs() {
		w := &ticketWords{
			lang: l, qty: l.T("ticket.qty"), price: l.T("ticket.price"), typ: l.T("ticket.type"),
			validity: l.T("ticket.validity"), product: l.T("ticket.product"), discQty: l.T("ticket.disc_qty"),
			mktProt: l.T("ticket.mkt_prot"), buy: l.T("ticket.buy"), sell: l.T("ticket.sell"),
			atMarket: l.T("ticket.at_market"), values: map[string]string{},
		}
		for i := range basket.DefaultMaxLegs {
			w.orders = append(w.orders, l.T("ticket.order", i+1))
		}
		for _, k := range i18n.Keys(l) {
			for _, prefix := range []string{"ticket.type.", "ticket.validity.", "ticket.product."} {
				if strings.HasPrefix(k, prefix) && i18n.Has(k) {
					w.values[k] = l.T(k)
				}
			}
		}
		m[l] = w
	}
	return m
})
