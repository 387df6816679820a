package basket

import (
	"encoding/json"
	"strconv"
	"strings"
)

// decimal is a JSON number taken apart exactly, never through a float:
// value = (-1 if neg) × digits × 10^-scale, digits without leading zeros.
type decimal struct {
	neg    bool
	digits string // "" means zero
	scale  int    // digits after the decimal point; may be negative
}

// maxExponent bounds the exponent kept from the text: any number whose
// exponent is beyond it is far longer written out than a link can hold, or
// is zero, and either way its exact exponent changes nothing.
const maxExponent = 1 << 30

// parseDecimal parses JSON number text exactly, whatever its exponent: 0e5000
// is zero and 1e-1001 a tiny positive number. ok is false for text that is
// not a JSON number.
func parseDecimal(s string) (d decimal, ok bool) {
	if strings.HasPrefix(s, "-") {
		d.neg, s = true, s[1:]
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, ok := parseExponent(s[i+1:])
		if !ok {
			return d, false
		}
		mant, exp = s[:i], e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" || !allDigits(intPart) || !allDigits(frac) {
		return d, false
	}
	all := strings.TrimLeft(intPart+frac, "0")
	scale := len(frac) - exp
	// Trailing zeros carry no value: 2700.550 is 2700.55.
	for len(all) > 0 && all[len(all)-1] == '0' {
		all = all[:len(all)-1]
		scale--
	}
	if all == "" {
		return decimal{}, true
	}
	d.digits, d.scale = all, scale
	return d, true
}

// parseExponent reads an exponent's text (an optional sign, then digits),
// clamped to ±maxExponent.
func parseExponent(s string) (int, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	if s == "" || !allDigits(s) {
		return 0, false
	}
	s = strings.TrimLeft(s, "0")
	e := maxExponent
	if len(s) < 10 {
		e, _ = strconv.Atoi("0" + s)
		e = min(e, maxExponent)
	}
	if neg {
		e = -e
	}
	return e, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// intDigits is how many digits stand before the decimal point.
func (d decimal) intDigits() int { return len(d.digits) - d.scale }

// plainLen is the length of String(), computed without building it.
func (d decimal) plainLen() int {
	n := 0
	if d.neg {
		n++
	}
	switch {
	case d.digits == "":
		return 1
	case d.scale <= 0:
		return n + len(d.digits) - d.scale
	case d.scale >= len(d.digits):
		return n + 2 + d.scale
	}
	return n + len(d.digits) + 1
}

// cmp compares two numbers that are not negative: -1, 0 or +1.
func (d decimal) cmp(o decimal) int {
	switch {
	case d.digits == "" || o.digits == "":
		return strings.Compare(d.digits, o.digits) // "" (zero) sorts first
	case d.intDigits() != o.intDigits():
		if d.intDigits() < o.intDigits() {
			return -1
		}
		return 1
	}
	return strings.Compare(d.digits, o.digits) // same magnitude: digit by digit
}

// String is the shortest plain form: no exponent, no trailing zeros, "0" for zero.
func (d decimal) String() string {
	if d.digits == "" {
		return "0"
	}
	var b strings.Builder
	if d.neg {
		b.WriteByte('-')
	}
	switch {
	case d.scale <= 0:
		b.WriteString(d.digits)
		b.WriteString(strings.Repeat("0", -d.scale))
	case d.scale >= len(d.digits):
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", d.scale-len(d.digits)))
		b.WriteString(d.digits)
	default:
		n := len(d.digits) - d.scale
		b.WriteString(d.digits[:n])
		b.WriteByte('.')
		b.WriteString(d.digits[n:])
	}
	return b.String()
}

// canonicalNumber returns n in its shortest form, or n unchanged if it does not parse.
func canonicalNumber(n json.Number) json.Number {
	d, ok := parseDecimal(string(n))
	if !ok {
		return n
	}
	return json.Number(d.String())
}
