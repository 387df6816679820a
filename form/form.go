// Package form turns the builder's form fields (legs.0.symbol, ...) into a
// basket the shared validation checks, and maps its errors back to fields.
// It holds no leg rule: which fields a leg shows and which choices a select
// offers are layout; whether a value is right is basket.Validate's call.
package form

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"basketlink/basket"
	"basketlink/schema"
)

// Instruments are the choices of the instrument select, in order: the
// shapes of the leg schema.
var Instruments = schema.Insts

// numberKeys are the keys whose typed text becomes a JSON number when it is one.
var numberKeys = []string{"qty", "limitPrice", "discQty", "mktProt"}

// upperKeys are the fields the form upper-cases as it reads them (the leg
// rules, and the API, take only upper case).
var upperKeys = map[string]bool{"symbol": true, "series": true}

// Leg is one leg as typed: raw text per leg key ("inst", "symbol", ...).
type Leg map[string]string

// NewLeg returns a leg with the builder's defaults.
func NewLeg() Leg {
	return Leg{"inst": "EQT", "exch": "NSE", "series": "EQ", "qty": "1",
		"side": "buy", "type": "limit", "product": "intraday", "validity": "day"}
}

// Fields returns the keys the builder shows for this leg, in canonical order
// after the instrument: the keys its instrument's shape takes (read from the
// leg schema), mktProt only for a market order.
func (l Leg) Fields() []string {
	inst := l["inst"]
	if !slices.Contains(schema.Insts, inst) {
		return []string{"exch", "symbol"} // no shape yet: the fields every leg has
	}
	var keys []string
	for _, k := range basket.Keys {
		switch {
		case k == "inst" || !schema.Allowed(inst, k):
		case k == "mktProt" && l["type"] != "market":
		default:
			keys = append(keys, k)
		}
	}
	return keys
}

// Choices returns the options of key's select for this leg (the values the
// leg schema lists for it), or nil for a text field.
func (l Leg) Choices(key string) []string {
	inst := l["inst"]
	if !slices.Contains(schema.Insts, inst) {
		inst = "EQT" // until an instrument is chosen, offer the first shape's choices
	}
	return schema.Choices(inst, key)
}

// Optional reports whether the builder may leave key empty (it is then left
// out): the leg schema does not require it.
func (l Leg) Optional(key string) bool {
	inst := l["inst"]
	if !slices.Contains(schema.Insts, inst) {
		return false
	}
	return !schema.Required(inst, key)
}

// fit keeps a select's value among its choices after the instrument changed
// (EQT's NSE becomes NFO), and adds the defaults the new fields need.
func (l Leg) fit() {
	for _, k := range l.Fields() {
		ch := l.Choices(k)
		if ch != nil && !slices.Contains(ch, l[k]) {
			l[k] = ch[0]
		}
	}
	if l["inst"] == "EQT" && l["series"] == "" {
		l["series"] = "EQ"
	}
}

// JSON returns the leg as a JSON object: the shown fields, empty ones left
// out, numbers as numbers when they read as JSON numbers, else as strings so
// the shared validation names the mistake.
func (l Leg) JSON() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	shown := l.Fields()
	for _, k := range basket.Keys {
		v := strings.TrimSpace(l[k])
		if k != "inst" && !slices.Contains(shown, k) || v == "" && k != "inst" {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		if slices.Contains(numberKeys, k) && isNumber(v) {
			b.WriteString(v)
		} else {
			vb, _ := json.Marshal(v)
			b.Write(vb)
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

func isNumber(s string) bool {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || dec.More() {
		return false
	}
	_, ok := v.(json.Number)
	return ok
}

// Basket is the builder's whole form.
type Basket struct {
	Legs []Leg
	AsOf string // YYYY-MM-DD, or "" for today
}

// Parse reads the legs from form values named legs.N.key, N from 0 up while
// legs.N.inst is there, stopping at max legs (max < 1 means basket.DefaultMaxLegs).
func Parse(v url.Values, max int) Basket {
	if max < 1 {
		max = basket.DefaultMaxLegs
	}
	b := Basket{AsOf: strings.TrimSpace(v.Get("as_of"))}
	for i := 0; i < max; i++ {
		prefix := "legs." + strconv.Itoa(i) + "."
		if _, ok := v[prefix+"inst"]; !ok {
			break
		}
		l := Leg{}
		for _, k := range basket.Keys {
			if vals, ok := v[prefix+k]; ok && len(vals) > 0 {
				l[k] = vals[0]
				if upperKeys[k] {
					// Traders type "reliance"; the form writes what the API takes.
					l[k] = strings.ToUpper(strings.TrimSpace(vals[0]))
				}
			}
		}
		l.fit()
		b.Legs = append(b.Legs, l)
	}
	return b
}

// JSON returns the basket as a params JSON array.
func (b Basket) JSON() []byte {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, l := range b.Legs {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(l.JSON())
	}
	buf.WriteByte(']')
	return buf.Bytes()
}

// Apply performs a builder button: "add", "remove:I", "dup:I", "up:I",
// "down:I"; anything else (a plain submit) changes nothing. max caps the legs.
func (b *Basket) Apply(op string, max int) error {
	if max < 1 {
		max = basket.DefaultMaxLegs
	}
	name, arg, _ := strings.Cut(op, ":")
	if name == "add" {
		if len(b.Legs) >= max {
			return fmt.Errorf("a basket holds at most %d legs", max)
		}
		b.Legs = append(b.Legs, NewLeg())
		return nil
	}
	if name != "remove" && name != "dup" && name != "up" && name != "down" {
		return nil
	}
	i, err := strconv.Atoi(arg)
	if err != nil || i < 0 || i >= len(b.Legs) {
		return fmt.Errorf("there is no leg %q to %s", arg, name)
	}
	switch name {
	case "remove":
		b.Legs = slices.Delete(b.Legs, i, i+1)
	case "dup":
		if len(b.Legs) >= max {
			return fmt.Errorf("a basket holds at most %d legs", max)
		}
		c := Leg{}
		for k, v := range b.Legs[i] {
			c[k] = v
		}
		b.Legs = slices.Insert(b.Legs, i+1, c)
	case "up":
		if i > 0 {
			b.Legs[i-1], b.Legs[i] = b.Legs[i], b.Legs[i-1]
		}
	case "down":
		if i < len(b.Legs)-1 {
			b.Legs[i], b.Legs[i+1] = b.Legs[i+1], b.Legs[i]
		}
	}
	return nil
}
