package basket

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"basketlink/schema"
)

// keywordRank orders schema keywords from the most basic failure to the most
// specific, so the one message a field gets is the one to fix first.
func keywordRank(k string) int {
	order := []string{"false", "additionalProperties", "required", "type", "enum", "const", "pattern",
		"exclusiveMinimum", "minimum", "maximum", "multipleOf"}
	if i := slices.Index(order, k); i >= 0 {
		return i
	}
	return len(order)
}

// kinds says in words what each number field must be, for type errors.
var kinds = map[string]string{
	"qty":        "a whole number",
	"discQty":    "a whole number",
	"limitPrice": "a number",
	"mktProt":    "a number",
	"strike":     `a string holding the price, like "34000"`,
}

// choicesText is the values key may take on inst's legs, as the schema lists
// them, in words: "limit" or "market". A side is said to be lower case: a
// trader's habit is BUY.
func choicesText(inst, key string) string {
	t := orList(schema.Choices(inst, key), true)
	if key == "side" {
		t += " (lower case)"
	}
	return t
}

// orList is xs in words: a, b or c; each quoted when quote is set.
func orList(xs []string, quote bool) string {
	var b strings.Builder
	for i, x := range xs {
		switch {
		case i == 0:
		case i == len(xs)-1:
			b.WriteString(" or ")
		default:
			b.WriteString(", ")
		}
		if quote {
			x = strconv.Quote(x)
		}
		b.WriteString(x)
	}
	return b.String()
}

var patterns = map[string]string{
	"symbol": "symbol must be 1 to 30 characters from A-Z, 0-9, &, _ and -",
	"series": "series must be 1 to 3 characters from A-Z and 0-9, like EQ or BE",
	"expiry": "expiry must be a date written YYYY-MM-DD",
	"strike": `strike must be a positive price with at most 2 decimals, no sign and no leading zero, like "34000" or "172.5"`,
}

// message turns one schema violation into a sentence a person can act on.
func message(inst string, v schema.Violation, value any) string {
	f := v.Field
	switch v.Keyword {
	case "required":
		return fmt.Sprintf("%s is required on %s legs", f, inst)
	case "additionalProperties", "false":
		if f == "mktProt" && schema.Allowed(inst, f) {
			return "mktProt is only allowed on market orders"
		}
		if slices.Contains(Keys, f) {
			return fmt.Sprintf("%s is not allowed on %s legs", f, inst)
		}
		return fmt.Sprintf("%q is not a leg field", f)
	case "type":
		kind, ok := kinds[f]
		if !ok {
			kind = "a string"
		}
		return fmt.Sprintf("%s must be %s, not %s", f, kind, describe(value))
	case "enum", "const":
		switch f {
		case "exch":
			return fmt.Sprintf("exch must be %s on %s legs, not %s", orList(schema.Choices(inst, f), false), inst, describe(value))
		case "limitPrice":
			return "market orders need a limitPrice of exactly 0"
		}
		if c := schema.Choices(inst, f); len(c) > 1 {
			return fmt.Sprintf("%s must be %s, not %s", f, choicesText(inst, f), describe(value))
		}
	case "pattern":
		if p, ok := patterns[f]; ok {
			return p
		}
	case "exclusiveMinimum":
		if f == "limitPrice" {
			return "limit orders need a limitPrice above 0"
		}
		return f + " must be above 0"
	case "minimum":
		switch f {
		case "qty":
			return "qty must be at least 1"
		case "discQty":
			return "discQty must be 0 or more"
		}
		return f + " cannot be negative"
	case "maximum":
		return f + " must be at most 100"
	case "multipleOf":
		return f + " can have at most 2 decimals"
	}
	return fmt.Sprintf("%s is not valid here (%s)", f, describe(value))
}
