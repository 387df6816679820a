package basket

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"basketlink/contracts"
	"basketlink/schema"
)

// presetInst is the instrument every preset's legs are, presetExch their
// exchange (the one the schema allows them).
const presetInst = "OPTIDX"

var presetExch = schema.Choices(presetInst, "exch")[0]

// Preset is an option strategy: the legs it builds from a symbol, an expiry
// and its strikes. Its legs come buys first, so the bought legs (the hedges)
// are placed before the sold legs they cover.
type Preset struct {
	Name    string      `json:"name"`
	Title   string      `json:"title"`
	Strikes int         `json:"strikes"` // how many strikes it takes, lowest first
	Side    string      `json:"side"`    // its usual side, taken when a request names none
	Legs    []PresetLeg `json:"legs"`    // its legs at its usual side, in order
}

// PresetLeg is one leg of a preset: an option type at one of its strikes
// (0 is the lowest), bought or sold.
type PresetLeg struct {
	OptType string `json:"optType"`
	Strike  int    `json:"strike"`
	Side    string `json:"side"`
}

// presetLeg is a leg of a strategy's pattern: on the strategy's side, or the opposite.
type presetLeg struct {
	optType  string
	strike   int
	opposite bool
}

type presetDef struct {
	name, title, side string
	strikes           int
	legs              []presetLeg // in strike order; buys are moved first when built
}

// presets, at side "buy" for straddles, strangles and spreads (what the name
// says, bought) and "sell" for the iron ones (the body sold, the wings bought).
var presets = [...]presetDef{
	{"straddle", "Straddle", "buy", 1, []presetLeg{{"CE", 0, false}, {"PE", 0, false}}},
	{"strangle", "Strangle", "buy", 2, []presetLeg{{"PE", 0, false}, {"CE", 1, false}}},
	{"bull-call-spread", "Bull call spread", "buy", 2, []presetLeg{{"CE", 0, false}, {"CE", 1, true}}},
	{"bear-put-spread", "Bear put spread", "buy", 2, []presetLeg{{"PE", 0, true}, {"PE", 1, false}}},
	{"iron-condor", "Iron condor", "sell", 4, []presetLeg{{"PE", 0, true}, {"PE", 1, false}, {"CE", 2, false}, {"CE", 3, true}}},
	{"iron-butterfly", "Iron butterfly", "sell", 3, []presetLeg{{"PE", 0, true}, {"PE", 1, false}, {"CE", 1, false}, {"CE", 2, true}}},
}

// Presets lists every preset, in a fixed order.
func Presets() []Preset {
	out := make([]Preset, len(presets))
	for i, d := range presets {
		out[i] = d.preset()
	}
	return out
}

// FindPreset returns the preset called name.
func FindPreset(name string) (Preset, bool) {
	for _, d := range presets {
		if d.name == name {
			return d.preset(), true
		}
	}
	return Preset{}, false
}

func (d presetDef) preset() Preset {
	p := Preset{Name: d.name, Title: d.title, Strikes: d.strikes, Side: d.side}
	for _, l := range d.built(d.side) {
		p.Legs = append(p.Legs, PresetLeg{OptType: l.optType, Strike: l.strike, Side: l.side})
	}
	return p
}

type builtLeg struct {
	optType string
	strike  int
	side    string
}

// built returns the legs at side: buys first, each side in strike order.
func (d presetDef) built(side string) []builtLeg {
	var buys, sells []builtLeg
	for _, l := range d.legs {
		s := side
		if l.opposite {
			s = oppositeSide(side)
		}
		b := builtLeg{l.optType, l.strike, s}
		if s == "buy" {
			buys = append(buys, b)
		} else {
			sells = append(sells, b)
		}
	}
	return append(buys, sells...)
}

// aTitle is the title in a sentence: "an iron condor".
func (d presetDef) aTitle() string {
	t := strings.ToLower(d.title)
	if strings.ContainsAny(t[:1], "aeiou") {
		return "an " + t
	}
	return "a " + t
}

func oppositeSide(s string) string {
	if s == "buy" {
		return "sell"
	}
	return "buy"
}

// PresetRequest is what a preset is built from; see BuildPreset.
type PresetRequest struct {
	Symbol      string
	Expiry      string
	Strikes     []string // prices, in any order
	Lots        int64
	Side        string // "" takes the preset's usual side
	Type        string
	LimitPrices []string // one per leg in the built order, for limit orders
	Product     string
}

// presetKeys are the keys of a preset request body, in the order errors are reported.
var presetKeys = []string{"symbol", "expiry", "strikes", "lots", "side", "type", "limitPrices", "product"}

// MaxPresetLots is the most lots BuildPreset takes, as in the builder: lots
// times a lot size stays well within an int64.
const MaxPresetLots = 1_000_000_000

// ParsePresetRequest reads a preset request body, a JSON object with the keys
// symbol, expiry, strikes, lots, side, type, limitPrices and product. Errors
// point into the body (/strikes/1).
func ParsePresetRequest(body []byte) (PresetRequest, []Error) {
	var req PresetRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return req, []Error{rootError(`the body must be a JSON object like {"symbol":"NIFTY","expiry":"2026-12-29","strikes":["26000"],"lots":1,"type":"market","product":"intraday"}`)}
	}
	var errs []Error
	at := func(key, msg string) { errs = append(errs, Error{Pointer: "/" + key, Field: key, Message: msg}) }
	for k := range m {
		if !slices.Contains(presetKeys, k) {
			errs = append(errs, Error{Pointer: "/" + escapePointer(k), Field: k,
				Message: fmt.Sprintf("%s is not a preset field; they are %s", k, strings.Join(presetKeys, ", "))})
		}
	}
	str := func(key string, into *string) {
		switch v := m[key].(type) {
		case nil:
		case string:
			*into = v
		default:
			at(key, key+" must be a string, not "+describe(v))
		}
	}
	str("symbol", &req.Symbol)
	str("expiry", &req.Expiry)
	str("side", &req.Side)
	str("type", &req.Type)
	str("product", &req.Product)
	prices := func(key string, into *[]string) {
		switch v := m[key].(type) {
		case nil:
		case []any:
			for i, e := range v {
				switch e := e.(type) {
				case string:
					*into = append(*into, e)
				case json.Number:
					*into = append(*into, string(e))
				default:
					errs = append(errs, Error{Pointer: "/" + key + "/" + strconv.Itoa(i), Field: key, Message: key + " must hold prices, not " + describe(e)})
				}
			}
		default:
			at(key, key+" must be an array of prices, not "+describe(v))
		}
	}
	prices("strikes", &req.Strikes)
	prices("limitPrices", &req.LimitPrices)
	if v, ok := m["lots"]; ok {
		n := wholeNumber(v)
		if n == nil || *n < 1 {
			at("lots", "lots must be a whole number of lots from 1, not "+describe(v))
		} else {
			req.Lots = *n
		}
	}
	sortErrorsBy(errs, presetKeys)
	return req, errs
}

// BuildPreset builds preset p's legs from req and validates them with opts,
// the same validation as every basket: lot sizes come from opts.Contracts.
// A valid result holds the legs in Params; errors point into the request
// (/strikes/2 for a strike off the grid, /lots, /expiry).
func BuildPreset(p Preset, req PresetRequest, opts Options) Result {
	i := slices.IndexFunc(presets[:], func(d presetDef) bool { return d.name == p.Name })
	if i < 0 {
		return Result{Errors: []Error{rootError(fmt.Sprintf("there is no preset %q", p.Name))}}
	}
	d := presets[i]
	var errs []Error
	at := func(key, msg string) { errs = append(errs, Error{Pointer: "/" + key, Field: key, Message: msg}) }
	if req.Symbol == "" {
		at("symbol", "symbol is required: the index, like NIFTY")
	}
	if req.Expiry == "" {
		at("expiry", "expiry is required, written YYYY-MM-DD")
	}
	// side (the preset's own unless given), type and product take the values
	// an option leg's schema allows.
	side := req.Side
	if side == "" {
		side = d.side
	}
	for _, f := range []struct{ key, value, hint string }{
		{"side", side, fmt.Sprintf("; %s is usually %s", d.aTitle(), d.side)},
		{"type", req.Type, ""},
		{"product", req.Product, ""},
	} {
		if !slices.Contains(schema.Choices(presetInst, f.key), f.value) {
			at(f.key, fmt.Sprintf("%s must be %s, not %q%s", f.key, choicesText(presetInst, f.key), f.value, f.hint))
		}
	}
	switch {
	case req.Lots < 1:
		at("lots", "lots is required: how many lots of each leg, from 1")
	case req.Lots > MaxPresetLots: // lots × lot size must stay a number, not wrap round
		at("lots", fmt.Sprintf("lots must be at most 1,000,000,000, not %d", req.Lots))
	}

	// Strikes, lowest first; from[k] is where the k-th lowest was in the request.
	type strike struct {
		p    contracts.Paise
		from int
	}
	var strikes []strike
	for i, s := range req.Strikes {
		p, err := contracts.ParsePaise(s)
		if err != nil {
			errs = append(errs, Error{Pointer: "/strikes/" + strconv.Itoa(i), Field: "strikes", Message: fmt.Sprintf("strike %q %v", s, err)})
			continue
		}
		strikes = append(strikes, strike{p, i})
	}
	slices.SortStableFunc(strikes, func(a, b strike) int { return cmp.Compare(a.p, b.p) })
	switch {
	case len(req.Strikes) != d.strikes:
		at("strikes", fmt.Sprintf("%s takes %s; %d given", d.aTitle(), countWords(d.strikes, "strike"), len(req.Strikes)))
	case len(strikes) == d.strikes:
		for k := 1; k < len(strikes); k++ {
			if strikes[k].p == strikes[k-1].p {
				at("strikes", fmt.Sprintf("the strikes of %s must differ; %s is given twice", d.aTitle(), strikes[k].p))
				break
			}
		}
	}
	legs := d.built(side)
	var prices []string
	switch {
	case req.Type == "market" && len(req.LimitPrices) > 0:
		at("limitPrices", "market orders take no limitPrices")
	case req.Type == "limit" && len(req.LimitPrices) != len(legs):
		at("limitPrices", fmt.Sprintf("limit orders need %s, one per leg in the order of the legs (buys first); %d given",
			countWords(len(legs), "limit price"), len(req.LimitPrices)))
	case req.Type == "limit":
		prices = req.LimitPrices
	}
	if len(errs) > 0 {
		sortErrorsBy(errs, presetKeys)
		return Result{Errors: errs}
	}

	if opts.Contracts == nil {
		return Result{Errors: []Error{{Pointer: "/lots", Field: "lots", Message: "lots need the lot size from an instrument master: start basketlink with --contracts FILE"}}}
	}
	lot := int64(1)
	if l, ok := opts.Contracts.LotSize(presetExch, presetInst, req.Symbol, req.Expiry); ok {
		lot = l // else the symbol is not listed, which the validation says
	}
	// source maps each leg's fields back to the request, for errors.
	source := make([]map[string]string, len(legs))
	var b bytes.Buffer
	b.WriteByte('[')
	for i, l := range legs {
		if i > 0 {
			b.WriteByte(',')
		}
		price := "0"
		source[i] = map[string]string{"symbol": "/symbol", "expiry": "/expiry", "strike": "/strikes/" + strconv.Itoa(strikes[l.strike].from),
			"qty": "/lots", "side": "/side", "type": "/type", "product": "/product", "limitPrice": "/type"}
		if prices != nil {
			price = prices[i]
			source[i]["limitPrice"] = "/limitPrices/" + strconv.Itoa(i)
		}
		leg := map[string]any{"exch": presetExch, "symbol": req.Symbol, "expiry": req.Expiry, "optType": l.optType, "inst": presetInst,
			"strike": strikes[l.strike].p.String(), "qty": json.Number(strconv.FormatInt(req.Lots*lot, 10)), "side": l.side,
			"type": req.Type, "product": req.Product, "limitPrice": json.Number(price), "validity": "day"}
		if _, err := json.Marshal(json.Number(price)); err != nil {
			leg["limitPrice"] = price // not a JSON number: the validation says so
		}
		enc, _ := json.Marshal(leg)
		b.Write(enc)
	}
	b.WriteByte(']')
	res := Validate(b.Bytes(), opts)
	if res.Valid {
		return res
	}
	// Errors on the legs go to the request field each came from, once.
	seen := map[string]bool{}
	for _, e := range res.Errors {
		if e.Leg != nil && *e.Leg < len(source) {
			if ptr, ok := source[*e.Leg][e.Field]; ok {
				e = Error{Pointer: ptr, Field: strings.Split(ptr, "/")[1], Message: e.Message}
			} else {
				e = Error{Pointer: "", Message: fmt.Sprintf("leg %d: %s", *e.Leg+1, e.Message)}
			}
		}
		if key := e.Pointer + "\x00" + e.Message; !seen[key] {
			seen[key] = true
			errs = append(errs, e)
		}
	}
	sortErrorsBy(errs, presetKeys)
	return Result{Legs: res.Legs, Errors: errs, Items: res.Items}
}

func countWords(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// sortErrorsBy orders errors on a request body: the root first, then by key in keys' order, then by pointer.
func sortErrorsBy(errs []Error, keys []string) {
	rank := func(e Error) int {
		if e.Pointer == "" {
			return -1
		}
		if i := slices.Index(keys, e.Field); i >= 0 {
			return i
		}
		return len(keys)
	}
	slices.SortStableFunc(errs, func(a, b Error) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a.Pointer, b.Pointer)
	})
}
