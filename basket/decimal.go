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

// Numbers larger than this many integer digits are refused before anything
// (the schema library, big.Rat) spends time or memory on them.
const (
	maxIntDigits  = 15
	maxFracDigits = 30
)

// parseDecimal parses JSON number text. ok is false for text that is not a
// JSON number or whose exponent is out of any sane range.
func parseDecimal(s string) (d decimal, ok bool) {
	if strings.HasPrefix(s, "-") {
		d.neg, s = true, s[1:]
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
		if err != nil || e > 1000 || e < -1000 {
			return d, false
		}
		mant, exp = s[:i], e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" {
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

// intDigits is how many digits stand before the decimal point.
func (d decimal) intDigits() int { return len(d.digits) - d.scale }

// inRange reports whether the number is small enough to check and encode.
func (d decimal) inRange() bool {
	return d.intDigits() <= maxIntDigits && d.scale <= maxFracDigits
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
