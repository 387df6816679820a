package basket

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/go-playground/validator/v10"
)

// legRules carries the fields of one leg that take rules a JSON Schema cannot
// say. Only fields that passed the schema are set; the rest stay nil.
type legRules struct {
	Qty     *int64  `validate:"omitempty"`
	DiscQty *int64  `validate:"omitempty,ltefield=Qty"`
	Expiry  *string `validate:"omitempty,datetime=2006-01-02,tradingday,notexpired"`
}

type asOfKey struct{}

var rules = func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterValidation("tradingday", func(fl validator.FieldLevel) bool {
		t, err := time.Parse(time.DateOnly, fl.Field().String())
		return err == nil && t.Weekday() != time.Saturday && t.Weekday() != time.Sunday
	})
	v.RegisterValidationCtx("notexpired", func(ctx context.Context, fl validator.FieldLevel) bool {
		asOf, _ := ctx.Value(asOfKey{}).(string)
		return Live(fl.Field().String(), asOf)
	})
	return v
}()

type ruleError struct{ field, message string }

// checkRules applies the rules a schema cannot say to the fields of m that
// have no error yet (skip). ctx carries the as-of date (asOfKey).
func checkRules(ctx context.Context, m map[string]any, skip map[string]bool) []ruleError {
	asOf, _ := ctx.Value(asOfKey{}).(string)
	var r legRules
	var out []ruleError
	if !skip["qty"] && !skip["discQty"] {
		r.Qty, r.DiscQty = wholeNumber(m["qty"]), wholeNumber(m["discQty"])
		if r.Qty == nil || r.DiscQty == nil {
			r.Qty, r.DiscQty = nil, nil
			// Whole numbers past int64 are still numbers: compare their digits.
			q, qok := wholeDecimal(m["qty"])
			dq, dok := wholeDecimal(m["discQty"])
			if qok && dok && dq.cmp(q) > 0 {
				out = append(out, ruleError{"discQty", fmt.Sprintf("discQty (%s) cannot be more than qty (%s)", dq, q)})
			}
		}
	}
	if s, ok := m["expiry"].(string); ok && !skip["expiry"] {
		r.Expiry = &s
	}
	if r.Qty == nil && r.DiscQty == nil && r.Expiry == nil {
		return out // nothing left to check: spare the validator's work
	}
	err := rules.StructCtx(ctx, r)
	var fieldErrs validator.ValidationErrors
	if !errors.As(err, &fieldErrs) {
		return out
	}
	for _, fe := range fieldErrs {
		switch fe.Tag() {
		case "ltefield":
			out = append(out, ruleError{"discQty", fmt.Sprintf("discQty (%d) cannot be more than qty (%d)", *r.DiscQty, *r.Qty)})
		case "datetime":
			out = append(out, ruleError{"expiry", fmt.Sprintf("expiry %s is not a real calendar date", *r.Expiry)})
		case "tradingday":
			t, _ := time.Parse(time.DateOnly, *r.Expiry)
			out = append(out, ruleError{"expiry", fmt.Sprintf("expiry %s is a %s; contracts expire Monday to Friday", *r.Expiry, t.Weekday())})
		case "notexpired":
			out = append(out, ruleError{"expiry", expiredMessage(*r.Expiry, asOf)})
		}
	}
	return out
}

// wholeNumber returns v as an int64 when it is a JSON number holding a whole
// number that fits one, else nil.
func wholeNumber(v any) *int64 {
	d, ok := wholeDecimal(v)
	if !ok || d.plainLen() > 18 {
		return nil
	}
	i, err := strconv.ParseInt(d.String(), 10, 64)
	if err != nil {
		return nil
	}
	return &i
}

// wholeDecimal returns v when it is a JSON number holding a whole number.
func wholeDecimal(v any) (decimal, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return decimal{}, false
	}
	d, ok := parseDecimal(string(n))
	if !ok || d.scale > 0 || d.plainLen() > MaxURLBytes {
		return decimal{}, false
	}
	return d, true
}
