package basket

import (
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"basketlink/contracts"
)

// The fields that name a leg's contract: while any of them has an error, the
// leg cannot be looked up in the master.
var contractFields = [...]string{"exch", "symbol", "series", "inst", "expiry", "optType", "strike"}

// checkContract applies the instrument master's rules to a leg whose other
// rules ran already: it must name a listed contract, its qty must be a whole
// number of lots and its limitPrice a multiple of the tick size. Fields with an
// error already (skip) are not judged again.
func checkContract(master *contracts.Master, m map[string]any, skip map[string]bool, asOf string) []ruleError {
	for _, f := range contractFields {
		if skip[f] {
			return nil
		}
	}
	str := func(k string) string { s, _ := m[k].(string); return s }
	q := contracts.Query{Exch: str("exch"), Inst: str("inst"), Symbol: str("symbol"), Series: str("series"),
		Expiry: str("expiry"), OptType: str("optType")}
	if s := str("strike"); s != "" {
		p, err := contracts.ParsePaise(s)
		if err != nil {
			return nil // the schema judged the strike; nothing more to say
		}
		q.Strike = p
	}
	c, miss := master.Lookup(q)
	if c == nil {
		return []ruleError{{miss.Field, missMessage(master, q, miss, asOf)}}
	}
	var out []ruleError
	if qty, ok := paiseOf(m["qty"]); ok && !skip["qty"] && qty%100 == 0 {
		if n := int64(qty / 100); n%c.LotSize != 0 {
			out = append(out, ruleError{"qty", lotMessage(c, n)})
		}
	} else if rem, ok := hundredthsMod(m["qty"], 100*min(c.LotSize, math.MaxInt64/100)); !ok && !skip["qty"] && rem != 0 && rem%100 == 0 {
		// Too many digits for paise: the remainder alone says it.
		out = append(out, ruleError{"qty", fmt.Sprintf("qty %s is not a whole number of lots: the %s lot is %d", m["qty"], c.Symbol, c.LotSize)})
	}
	if rem, ok := hundredthsMod(m["limitPrice"], int64(c.Tick)); !ok && !skip["limitPrice"] && rem != 0 {
		out = append(out, ruleError{"limitPrice", fmt.Sprintf("limitPrice %s is not a multiple of the %s tick size %s", m["limitPrice"], c.Symbol, c.Tick)})
	}
	if price, ok := paiseOf(m["limitPrice"]); ok && !skip["limitPrice"] && price%c.Tick != 0 {
		lower := price / c.Tick * c.Tick
		use := []contracts.Paise{lower, lower + c.Tick}
		if lower == 0 {
			use = []contracts.Paise{c.Tick, 2 * c.Tick}
		}
		out = append(out, ruleError{"limitPrice", fmt.Sprintf("limitPrice %s is not a multiple of the %s tick size %s; use %s or %s",
			price, c.Symbol, c.Tick, use[0], use[1])})
	}
	return out
}

// hundredthsMod is, for a JSON number too long for paiseOf (more than 16
// digits before the point), its value in hundredths modulo m, worked out on
// its digits; ok is true when paiseOf reads it (the caller uses that), and
// the remainder is 0 for anything that is not a number of at most 2
// decimals (the schema says what is wrong with it).
func hundredthsMod(v any, m int64) (rem int64, ok bool) {
	if _, ok := paiseOf(v); ok {
		return 0, true
	}
	n, isNum := v.(json.Number)
	if !isNum || m <= 0 {
		return 0, false
	}
	d, parsed := parseDecimal(string(n))
	if !parsed || d.neg || d.scale > 2 {
		return 0, false
	}
	mulMod := func(a, b int64) int64 { // a*b mod m without overflow
		hi, lo := bits.Mul64(uint64(a), uint64(b))
		return int64(bits.Rem64(hi, lo, uint64(m)))
	}
	for i := 0; i < len(d.digits); i++ {
		rem = (mulMod(rem, 10) + int64(d.digits[i]-'0')) % m
	}
	// times 10^(2-scale), by squaring: the exponent may be large.
	for e, p := 2-d.scale, int64(10)%m; e > 0; e, p = e/2, mulMod(p, p) {
		if e%2 == 1 {
			rem = mulMod(rem, p)
		}
	}
	return rem, false
}

// paiseOf reads a JSON number with at most 2 decimals as paise, without
// allocating: the hot path of every validation with a master.
func paiseOf(v any) (contracts.Paise, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	if p, err := contracts.ParseAmount(string(n)); err == nil {
		return p, true // the usual plain form: 2700.55, 0, 75
	}
	d, ok := parseDecimal(string(n))
	if !ok || d.neg || d.scale > 2 || d.intDigits() > 16 { // more would overflow paise in an int64
		return 0, false
	}
	if d.digits == "" {
		return 0, true
	}
	p, err := strconv.ParseInt(d.digits, 10, 64)
	if err != nil {
		return 0, false
	}
	for s := d.scale; s < 2; s++ {
		p *= 10
	}
	return contracts.Paise(p), true
}

// lotMessage says qty n is not a whole number of c's lots, and the two nearest
// quantities that are.
func lotMessage(c *contracts.Contract, n int64) string {
	lower := n / c.LotSize * c.LotSize
	if lower == 0 {
		lower = c.LotSize
	}
	return fmt.Sprintf("qty %d is not a whole number of lots: the %s lot is %d; use %d or %d",
		n, c.Symbol, c.LotSize, lower, lower+c.LotSize)
}

// instWords names the contracts of an instrument in a message.
var instWords = map[string]string{"EQT": "equities", "FUTIDX": "index futures", "OPTIDX": "index options"}

// maxListed is how many expiries or symbols a message lists.
const maxListed = 6

// missMessage says which part of q the master does not list, and what it lists instead.
func missMessage(master *contracts.Master, q contracts.Query, miss contracts.Miss, asOf string) string {
	switch miss.Field {
	case "symbol":
		msg := fmt.Sprintf("symbol %s is not listed among %s %s", q.Symbol, q.Exch, instWords[q.Inst])
		if len(miss.ListedAs) > 0 {
			var as []string
			for _, l := range miss.ListedAs {
				as = append(as, l.Exch+" "+instWords[l.Inst])
			}
			return msg + "; it is listed among " + strings.Join(as, " and ")
		}
		var like []string
		for _, s := range master.Symbols(q.Exch, q.Inst) {
			if len(q.Symbol) >= 2 && strings.HasPrefix(s, q.Symbol[:2]) {
				like = append(like, s)
			}
		}
		if len(like) > 0 {
			return msg + "; listed symbols like it: " + listSome(like)
		}
		return msg
	case "series":
		return fmt.Sprintf("series %s is not listed for %s on %s; listed: %s", q.Series, q.Symbol, q.Exch, strings.Join(miss.Series, ", "))
	case "expiry":
		what := q.Symbol + " futures"
		if q.Inst == "OPTIDX" {
			what = q.Symbol + " options"
		}
		var open []string
		for _, x := range miss.Expiries {
			if Live(x, asOf) {
				open = append(open, x)
			}
		}
		if len(open) == 0 {
			return fmt.Sprintf("expiry %s is not listed for %s, and none is listed on or after %s", q.Expiry, what, asOf)
		}
		return fmt.Sprintf("expiry %s is not listed for %s; listed expiries: %s", q.Expiry, what, listSome(open))
	case "optType":
		return fmt.Sprintf("no %s %s is listed for %s; listed: %s", q.Symbol, q.OptType, q.Expiry, strings.Join(miss.OptTypes, ", "))
	case "strike":
		msg := fmt.Sprintf("strike %s is not on the %s %s %s grid", q.Strike, q.Symbol, q.Expiry, q.OptType)
		switch {
		case miss.Below != 0 && miss.Above != 0:
			return fmt.Sprintf("%s; the nearest listed strikes are %s and %s", msg, miss.Below, miss.Above)
		case miss.Below != 0:
			return fmt.Sprintf("%s; the highest listed strike is %s", msg, miss.Below)
		case miss.Above != 0:
			return fmt.Sprintf("%s; the lowest listed strike is %s", msg, miss.Above)
		}
		return msg
	}
	return "this contract is not listed"
}

// listSome joins the first maxListed items and says how many more there are.
func listSome(xs []string) string {
	if len(xs) <= maxListed {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:maxListed], ", ") + fmt.Sprintf(" and %d more", len(xs)-maxListed)
}
