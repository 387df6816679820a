package basket

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// A saved basket was valid when it was saved and its canonical params never
// change, so reading it back needs no second validation: only its legs'
// expiries are judged again, against a later date.

// Saved is what is kept of a saved basket's canonical params to serve it
// again: the params and the earliest expiry of its legs.
type Saved struct {
	Params   string
	Earliest string // YYYY-MM-DD, "" when no leg expires
}

// ReadSaved takes canonical params, as Validate returned them for a valid
// basket, back in. Params that are not a JSON array of legs are an error (a
// database edited by hand); nothing else is checked.
func ReadSaved(params string) (Saved, error) {
	legs, err := readLegs(params)
	if err != nil {
		return Saved{}, fmt.Errorf("saved params: %w", err)
	}
	sv := Saved{Params: params}
	for _, l := range legs {
		if l.Expiry != "" && (sv.Earliest == "" || l.Expiry < sv.Earliest) {
			sv.Earliest = l.Expiry
		}
	}
	return sv, nil
}

// Live reports whether a contract expiring on expiry can still be traded on
// the as-of date asOf, both written YYYY-MM-DD: it can until the end of its
// expiry day. An empty expiry (a contract that does not expire) is live.
func Live(expiry, asOf string) bool { return expiry == "" || expiry >= asOf }

// Placeable reports whether no leg expired before asOf.
func (s Saved) Placeable(asOf time.Time) bool {
	return Live(s.Earliest, asOf.Format(time.DateOnly))
}

// Result is the saved basket as a valid Validate result would show it as of
// asOf: its legs typed in Parsed (also when a contract expired, so a page can
// name it; Items is left empty), and an error for each leg whose contract
// expired before asOf, worded as Validate words it.
func (s Saved) Result(asOf time.Time) Result {
	res := Result{Params: s.Params}
	legs, err := readLegs(s.Params)
	if err != nil {
		res.Errors = []Error{rootError("the saved basket could not be read: " + err.Error())}
		return res
	}
	res.Parsed, res.Legs = legs, len(legs)
	var buf [len(time.DateOnly)]byte
	day := asOf.AppendFormat(buf[:0], time.DateOnly)
	for i, l := range legs {
		if !Live(l.Expiry, string(day)) {
			res.Errors = append(res.Errors, legError(i, "expiry", expiredMessage(l.Expiry, string(day))))
		}
	}
	res.Valid = len(res.Errors) == 0
	return res
}

func expiredMessage(expiry, asOf string) string {
	return fmt.Sprintf("contract expired: expiry %s is before the as-of date %s", expiry, asOf)
}

// readLegs decodes params into legs as json.Unmarshal does. Canonical params
// (what Encode writes: compact, known keys, strings with no escapes) are read
// in one pass with no copying, their strings pointing into params; anything
// else is left to encoding/json.
func readLegs(params string) ([]Leg, error) {
	if legs, ok := readCanonical(params); ok {
		return legs, nil
	}
	var legs []Leg
	if err := json.Unmarshal([]byte(params), &legs); err != nil {
		return nil, err
	}
	return legs, nil
}

// readCanonical reads params written as Encode writes them; ok is false for
// anything else (whitespace, an escape, an unknown key, null, a value of
// another type than its field's).
func readCanonical(s string) (legs []Leg, ok bool) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, false
	}
	legs = make([]Leg, 0, strings.Count(s, "{"))
	if s == "[]" {
		return legs, true
	}
	i := 1
	for {
		// One leg: {"key":value,...}
		if s[i] != '{' {
			return nil, false
		}
		i++
		var l Leg
		for first := true; i < len(s) && s[i] != '}'; first = false {
			if !first {
				if s[i] != ',' {
					return nil, false
				}
				i++
			}
			key, next, ok := readString(s, i)
			if !ok || next >= len(s) || s[next] != ':' {
				return nil, false
			}
			field, number := l.field(key)
			if field == nil {
				return nil, false
			}
			if number {
				*field, i, ok = readNumber(s, next+1)
			} else {
				*field, i, ok = readString(s, next+1)
			}
			if !ok {
				return nil, false
			}
		}
		legs = append(legs, l)
		// After the leg's }: a comma and the next leg, or the closing ].
		i++
		if i >= len(s)-1 {
			return legs, i == len(s)-1
		}
		if s[i] != ',' {
			return nil, false
		}
		i++
	}
}

// readString reads the JSON string at s[i]: its text when it has no escape
// and is valid UTF-8 (else ok is false), and the index after it.
func readString(s string, i int) (text string, next int, ok bool) {
	if i >= len(s) || s[i] != '"' {
		return "", i, false
	}
	ascii := true
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			text = s[i+1 : j]
			return text, j + 1, ascii || utf8.ValidString(text)
		case c == '\\' || c < 0x20:
			return "", j, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", len(s), false
}

// readNumber reads the JSON number at s[i] (-0.5, 12, 1e-3) as its text, and
// the index after it; ok is false when s[i:] does not start with one.
func readNumber(s string, i int) (text string, next int, ok bool) {
	j := i
	digits := func() bool {
		k := j
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		return j > k
	}
	if j < len(s) && s[j] == '-' {
		j++
	}
	switch {
	case j < len(s) && s[j] == '0':
		j++
	case !digits():
		return "", i, false
	}
	if j < len(s) && s[j] == '.' {
		j++
		if !digits() {
			return "", i, false
		}
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		j++
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if !digits() {
			return "", i, false
		}
	}
	return s[i:j], j, true
}

// field is where the value of key goes, and whether it is a number; nil for
// a key a leg does not have. (A test holds it to the json tags of Leg.)
func (l *Leg) field(key string) (field *string, number bool) {
	switch key {
	case "exch":
		return &l.Exch, false
	case "symbol":
		return &l.Symbol, false
	case "series":
		return &l.Series, false
	case "expiry":
		return &l.Expiry, false
	case "optType":
		return &l.OptType, false
	case "inst":
		return &l.Inst, false
	case "strike":
		return &l.Strike, false
	case "qty":
		return (*string)(&l.Qty), true
	case "side":
		return &l.Side, false
	case "type":
		return &l.Type, false
	case "product":
		return &l.Product, false
	case "limitPrice":
		return (*string)(&l.LimitPrice), true
	case "validity":
		return &l.Validity, false
	case "discQty":
		return (*string)(&l.DiscQty), true
	case "mktProt":
		return (*string)(&l.MktProt), true
	}
	return nil, false
}
