package contracts

import (
	"errors"
	"strconv"
	"strings"
)

// Paise is an amount in hundredths of a rupee: strikes and tick sizes are
// exact, never floats.
type Paise int64

// maxPaise keeps any amount far below overflow: 10^15 rupees.
const maxPaise = Paise(1e17)

var errPaise = errors.New("must be a positive decimal with at most 2 decimals, like 24000, 172.5 or 0.05")

// ParsePaise reads a positive plain decimal ("24000", "172.5", "0.05"): no
// sign, no exponent, at most 2 decimals.
func ParsePaise(s string) (Paise, error) {
	p, err := parseAmount(s)
	if err != nil {
		return 0, err
	}
	if p <= 0 {
		return 0, errPaise
	}
	return p, nil
}

// ParseAmount reads a plain decimal that may be zero, like a market order's
// limitPrice; it takes the same form as ParsePaise.
func ParseAmount(s string) (Paise, error) { return parseAmount(s) }

func parseAmount(s string) (Paise, error) {
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || (hasDot && frac == "") || len(whole) > 15 {
		return 0, errPaise
	}
	for _, part := range [...]string{whole, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return 0, errPaise
			}
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, errPaise
	}
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	p := Paise(w*100 + f)
	if p > maxPaise {
		return 0, errPaise
	}
	return p, nil
}

// String is the shortest plain form: 24000, 172.5, 0.05.
func (p Paise) String() string {
	neg := p < 0
	if neg {
		p = -p
	}
	s := strconv.FormatInt(int64(p/100), 10)
	if f := int64(p % 100); f != 0 {
		if f%10 == 0 {
			s += "." + strconv.FormatInt(f/10, 10)
		} else {
			s += "." + string(rune('0'+f/10)) + string(rune('0'+f%10))
		}
	}
	if neg {
		s = "-" + s
	}
	return s
}
