package basket

import "encoding/json"

// Encode returns the canonical params of legs: compact JSON, keys in the order
// of Keys, absent keys skipped, numbers in their shortest form.
func Encode(legs []Leg) string {
	b := make([]byte, 0, 256*len(legs))
	b = append(b, '[')
	for i, l := range legs {
		if i > 0 {
			b = append(b, ',')
		}
		b = l.appendJSON(b)
	}
	return string(append(b, ']'))
}

// MarshalJSON encodes the leg in canonical form.
func (l Leg) MarshalJSON() ([]byte, error) { return l.appendJSON(nil), nil }

func (l Leg) appendJSON(b []byte) []byte {
	b = append(b, '{')
	n := len(b)
	str := func(key, v string) {
		if v == "" {
			return
		}
		if len(b) > n {
			b = append(b, ',')
		}
		b = appendString(append(appendString(b, key), ':'), v)
	}
	num := func(key string, v json.Number) {
		if v == "" {
			return
		}
		if len(b) > n {
			b = append(b, ',')
		}
		b = append(append(appendString(b, key), ':'), canonicalNumber(v)...)
	}
	str("exch", l.Exch)
	str("symbol", l.Symbol)
	str("series", l.Series)
	str("expiry", l.Expiry)
	str("optType", l.OptType)
	str("inst", l.Inst)
	str("strike", l.Strike)
	num("qty", l.Qty)
	str("side", l.Side)
	str("type", l.Type)
	str("product", l.Product)
	num("limitPrice", l.LimitPrice)
	str("validity", l.Validity)
	num("discQty", l.DiscQty)
	num("mktProt", l.MktProt)
	return append(b, '}')
}

// appendString appends s as a JSON string. Unlike encoding/json it leaves &, <
// and > alone: params go into a URL, not into HTML.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
