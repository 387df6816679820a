package schema

import (
	"encoding/json"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// The helpers the generated checks (shapes_gen.go) call. Numbers are judged
// on their decimal text, as the JSON Schema library judges them on exact
// rationals: 0.1 + 0.2 is no concern, and 2700.550 has two decimals.

func isString(v any) bool { _, ok := v.(string); return ok }

func isNumber(v any) bool {
	switch v.(type) {
	case json.Number, float64:
		return true
	}
	return false
}

func isInteger(v any) bool { return isNumber(v) && hasDecimals(v, 0) }

// number is a number's text taken apart: sign, integer digits without
// leading zeros, fraction digits without trailing zeros. ok is false for text
// with an exponent, which takes the slow, exact way.
type number struct {
	neg       bool
	int, frac string
}

func numberText(v any) string {
	switch v := v.(type) {
	case json.Number:
		return string(v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return ""
}

func split(s string) (number, bool) {
	if strings.ContainsAny(s, "eE") {
		return number{}, false
	}
	var n number
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		n.neg, s = true, rest
	}
	i, f, _ := strings.Cut(s, ".")
	n.int, n.frac = strings.TrimLeft(i, "0"), strings.TrimRight(f, "0")
	if n.int == "" && n.frac == "" {
		n.neg = false // -0 is 0
	}
	return n, true
}

// compare returns -1, 0 or +1 as the number v is below, equal to or above the
// plain decimal c.
func compare(v any, c string) int {
	s := numberText(v)
	a, ok := split(s)
	if !ok {
		return ratCompare(s, c)
	}
	b, _ := split(c)
	if a.neg != b.neg {
		if a.neg {
			return -1
		}
		return 1
	}
	r := magnitude(a, b)
	if a.neg {
		r = -r
	}
	return r
}

func magnitude(a, b number) int {
	if len(a.int) != len(b.int) {
		if len(a.int) < len(b.int) {
			return -1
		}
		return 1
	}
	if r := strings.Compare(a.int, b.int); r != 0 {
		return r
	}
	return strings.Compare(a.frac, b.frac) // trailing zeros trimmed: digit by digit
}

// hasDecimals reports whether the number v has at most n decimals, that is,
// whether it is a multiple of 10^-n.
func hasDecimals(v any, n int) bool {
	s := numberText(v)
	a, ok := split(s)
	if ok {
		return len(a.frac) <= n
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return false
	}
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil))
	return r.Mul(r, scale).IsInt()
}

func ratCompare(s, c string) int {
	a, okA := new(big.Rat).SetString(s)
	b, okB := new(big.Rat).SetString(c)
	if !okA || !okB {
		return 0
	}
	return a.Cmp(b)
}

// extraKeys appends an additionalProperties violation for each key of leg
// that allowed refuses, in sorted order.
func extraKeys(leg map[string]any, out []Violation, when string, allowed func(string) bool) []Violation {
	start := len(out)
	for k := range leg {
		if !allowed(k) {
			out = append(out, Violation{Field: k, Keyword: "additionalProperties", When: when})
		}
	}
	slices.SortFunc(out[start:], func(a, b Violation) int { return strings.Compare(a.Field, b.Field) })
	return out
}
