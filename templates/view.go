// Package templates holds the web app's pages as templ components.
package templates

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"basketlink/basket"
	"basketlink/form"
	"basketlink/i18n"
)

// Builder is what the builder page shows.
type Builder struct {
	Basket  form.Basket
	MaxLegs int
	Errors  form.Errors
	Links   *Links // set when the basket is valid
	// CanSave offers "Save and share" on a valid basket; Label is its label
	// field, Shared the links of the basket just saved.
	CanSave bool
	Label   string
	Shared  *Shared
	// Tickets are the legs as clients will read them, when the basket is valid.
	Tickets []Ticket
	// With an instrument master: each leg's choices, and the strategy panel.
	Picks   []LegPicks
	Presets *Presets
}

// Links are the URLs built from a valid basket.
type Links struct {
	OrderConnect string
	Login        string
	Params       string
}

// Inspect is what the inspector shows.
type Inspect struct {
	Input     string
	AsOf      string
	Submitted bool
	Problem   string // the input could not be read at all
	Endpoint  string
	BaseURL   string
	Query     []basket.Param
	Columns   []string
	Items     []map[string]any
	Result    basket.Result
	Cells     map[int]map[string][]string // errors on a shown cell
	LegNotes  map[int][]string            // errors on a leg with no cell of their own
	Root      []string
	// Notes warn about the URL itself: its size, its endpoint, its host.
	Notes []string
	// Tickets are the legs as a client reads them, when the basket is valid.
	Tickets []Ticket
}

var labels = map[string]string{
	"inst": "Instrument", "exch": "Exchange", "symbol": "Symbol", "series": "Series",
	"expiry": "Expiry", "optType": "Option type", "strike": "Strike", "qty": "Quantity",
	"side": "Side", "type": "Order type", "product": "Product", "limitPrice": "Limit price",
	"validity": "Validity", "discQty": "Disclosed qty", "mktProt": "Market protection %",
}

// choices are the builder's words for the values of a select, shown with
// the API value beside them.
var choices = map[string]map[string]string{
	"inst":     {"EQT": "Equity", "FUTIDX": "Index future", "OPTIDX": "Index option"},
	"side":     {"buy": "Buy", "sell": "Sell"},
	"type":     {"limit": "Limit", "market": "Market"},
	"product":  {"intraday": "Intraday (MIS)", "delivery": "Delivery (CNC) / NRML"},
	"validity": {"day": "Day", "ioc": "IOC"},
	"optType":  {"CE": "Call", "PE": "Put"},
}

// choiceText is an option as the builder shows it: "Index option · OPTIDX".
func choiceText(key, value string) string {
	if w, ok := choices[key][value]; ok {
		return w + " · " + value
	}
	return value
}

// wideField reports whether key's field takes two columns: selects whose
// words are long.
func wideField(key string) bool { return key == "inst" || key == "product" }

// fieldHint is the short hint after a field's label.
func fieldHint(key string) string {
	switch key {
	case "qty", "discQty":
		return "units, not lots"
	case "limitPrice":
		return "₹"
	}
	return ""
}

// keyWord finds a leg key as a word; isoDate a YYYY-MM-DD date.
var (
	keyWord = regexp.MustCompile(`\b(` + strings.Join(basket.Keys, "|") + `)\b`)
	isoDate = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
)

// pageWords puts a validation message in the builder's words: each leg key
// becomes its field's label, each date reads "29 Dec 2026". The API keeps
// the keys; only the page changes them. Quoted values stay as typed.
func pageWords(msg string) string {
	parts := strings.Split(msg, `"`)
	for i := 0; i < len(parts); i += 2 {
		p := keyWord.ReplaceAllStringFunc(parts[i], label)
		parts[i] = isoDate.ReplaceAllStringFunc(p, i18n.Date)
	}
	s := strings.Join(parts, `"`)
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

func label(key string) string {
	if l, ok := labels[key]; ok {
		return l
	}
	return key
}

func fieldID(i int, key string) string   { return "leg-" + strconv.Itoa(i) + "-" + key }
func fieldName(i int, key string) string { return "legs." + strconv.Itoa(i) + "." + key }
func op(name string, i int) string       { return name + ":" + strconv.Itoa(i) }
func itoa(i int) string                  { return strconv.Itoa(i) }
func i64toa(i int64) string              { return strconv.FormatInt(i, 10) }

// inputMode helps a phone keyboard: digits for counts, decimals for prices.
func inputMode(key string) string {
	switch key {
	case "qty", "discQty":
		return "numeric"
	case "limitPrice", "mktProt", "strike":
		return "decimal"
	}
	return "text"
}

func placeholder(key, orderType string) string {
	switch key {
	case "limitPrice":
		if orderType == "market" {
			return "0 for a market order"
		}
		return "e.g. 2700.55"
	case "symbol":
		return "e.g. ACC, NIFTY"
	case "strike":
		return "e.g. 34000"
	case "discQty", "mktProt":
		return "optional"
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// errorAnchor links a summary line to its field, or to its leg.
func errorAnchor(e form.LegError) string {
	if e.Field == "" {
		return "#leg-" + itoa(e.Leg)
	}
	return "#" + fieldID(e.Leg, e.Field)
}

func errorPlace(e form.LegError) string {
	if e.Field == "" {
		return ""
	}
	return " · " + label(e.Field)
}

func pointerField(e basket.Error) string {
	if e.Field == "" {
		return ""
	}
	return " · " + e.Field
}

type simulatedKey struct{}

// WithSimulatedBroker marks ctx: pages rendered with it say that the broker is
// the built-in simulator and that no real order is placed.
func WithSimulatedBroker(ctx context.Context) context.Context {
	return context.WithValue(ctx, simulatedKey{}, true)
}

// SimulatedBroker reports whether ctx was marked by WithSimulatedBroker.
func SimulatedBroker(ctx context.Context) bool {
	v, _ := ctx.Value(simulatedKey{}).(bool)
	return v
}
