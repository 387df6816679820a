package basket

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the as-of date is today in Asia/Kolkata, even on a machine without zoneinfo

	"basketlink/contracts"
	"basketlink/schema"
)

// IST is India Standard Time, the zone of Indian markets (Asia/Kolkata): the
// as-of date is today there, and every time basketlink shows or reads from a
// person is in it.
var IST = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		return time.FixedZone("IST", 5*3600+1800)
	}
	return loc
}()

// Today returns today's date in Asia/Kolkata, the default as-of date.
func Today() time.Time { return DateIn(time.Now()) }

// DateIn returns the date that t falls on in Asia/Kolkata, as midnight UTC.
func DateIn(t time.Time) time.Time {
	y, m, d := t.In(IST).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseAsOf parses an as-of date written YYYY-MM-DD.
func ParseAsOf(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("as-of date %q must be a real date written YYYY-MM-DD", s)
	}
	return t, nil
}

func (o Options) asOf() string {
	if o.AsOf.IsZero() {
		return Today().Format(time.DateOnly)
	}
	return o.AsOf.Format(time.DateOnly)
}

func (o Options) maxLegs() int {
	if o.MaxLegs <= 0 {
		return DefaultMaxLegs
	}
	return o.MaxLegs
}

// maxCheckedLegs bounds the work (and the error list) for a basket far over
// any leg limit: the legs after it are not checked.
const maxCheckedLegs = 1000

// Validate checks a basket (the params JSON) against every leg and basket rule
// and returns all errors at once, or the canonical params when it is valid.
func Validate(data []byte, opts Options) Result {
	var res Result
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		res.Errors = []Error{rootError(syntaxMessage(err))}
		return res
	}
	if _, err := dec.Token(); err != io.EOF {
		res.Errors = []Error{rootError(fmt.Sprintf("params must hold one JSON array and nothing after it; more follows at byte %d", dec.InputOffset()))}
		return res
	}
	arr, ok := v.([]any)
	if !ok {
		res.Errors = []Error{rootError("params must be a JSON array of legs, not " + describe(v))}
		return res
	}
	res.Legs = len(arr)
	var errs []Error
	switch max := opts.maxLegs(); {
	case len(arr) == 0:
		errs = append(errs, rootError("a basket needs at least 1 leg"))
	case len(arr) > max:
		errs = append(errs, rootError(fmt.Sprintf("a basket holds at most %d legs; this one has %d", max, len(arr))))
	}
	asOf := opts.asOf()
	rulesCtx := context.WithValue(context.Background(), asOfKey{}, asOf) // once, not per leg
	dups := duplicateKeys(data)
	res.Items = make([]map[string]any, len(arr))
	legs := make([]Leg, len(arr))
	for i, el := range arr {
		m, ok := el.(map[string]any)
		if i == maxCheckedLegs {
			errs = append(errs, rootError(fmt.Sprintf("legs after the first %d were not checked", maxCheckedLegs)))
			break
		}
		if !ok {
			errs = append(errs, wholeLegError(i, "a leg must be a JSON object of order fields, not "+describe(el)))
			continue
		}
		res.Items[i] = m
		errs = append(errs, checkLeg(rulesCtx, i, m, dups[i], asOf, opts.Contracts, &legs[i])...)
	}
	if len(errs) == 0 {
		params := Encode(legs)
		if n := urlOverhead + queryEscapedLen(params); n > MaxURLBytes {
			errs = append(errs, tooLong(n))
		} else {
			res.Valid, res.Params, res.Parsed = true, params, legs
			return res
		}
	}
	sortErrors(errs)
	res.Errors = errs
	return res
}

// checkLeg validates leg i, fills leg when it is valid and returns its errors.
// dup lists the keys the leg's object holds more than once.
func checkLeg(rulesCtx context.Context, i int, m map[string]any, dup []string, asOf string, master *contracts.Master, leg *Leg) []Error {
	var errs []Error
	reported := map[string]bool{} // one message per field: the first, most basic one
	add := func(field, msg string) {
		if !reported[field] {
			reported[field] = true
			errs = append(errs, legError(i, field, msg))
		}
	}
	for _, k := range dup {
		add(k, k+" appears more than once in this leg; keep one")
	}

	// A number too long written out for any link is refused before the
	// schema checks see it; the others reach them in their plain form (0e5000
	// as 0), so an exponent never takes the exact, slow way through big.Rat.
	// No other limit: the rules judge the rest.
	checked, copied := m, false
	for k, v := range m {
		if !slices.Contains(Keys, k) {
			continue // an unknown key is reported as such; its value is never read
		}
		long, plain := numberProblem(v)
		if !long && plain == "" {
			continue
		}
		if !copied {
			checked, copied = maps(m), true // never change the caller's map
		}
		if long {
			checked[k] = json.Number("0")
			add(k, k+" is out of range: written out in full it is longer than a whole order-connect link may be")
			continue
		}
		checked[k] = json.Number(plain)
	}

	instV, has := m["inst"]
	inst, _ := instV.(string)
	switch {
	case !has:
		add("inst", "inst is required: EQT, FUTIDX or OPTIDX")
		return errs
	case !slices.Contains(schema.Insts, inst):
		add("inst", "inst must be EQT, FUTIDX or OPTIDX, not "+describe(instV))
		return errs
	}

	violations, err := schema.Validate(inst, checked)
	if err != nil {
		add("inst", "this leg could not be checked: "+err.Error())
		return errs
	}
	// type's own errors first: rules that hang on type (When != "") are left
	// out when type itself is wrong or missing. Then every field's most basic failure.
	slices.SortStableFunc(violations, func(a, b schema.Violation) int {
		if (a.Field == "type") != (b.Field == "type") {
			if a.Field == "type" {
				return -1
			}
			return 1
		}
		return keywordRank(a.Keyword) - keywordRank(b.Keyword)
	})
	for _, v := range violations {
		if v.When != "" && reported["type"] {
			continue
		}
		add(v.Field, message(inst, v, m[v.Field]))
	}
	for _, e := range checkRules(rulesCtx, m, reported) {
		add(e.field, e.message)
	}
	if master != nil {
		for _, e := range checkContract(master, m, reported, asOf) {
			add(e.field, e.message)
		}
	}
	if len(errs) == 0 {
		*leg = newLeg(m)
	}
	return errs
}

// queryEscapedLen is len(url.QueryEscape(s)), counted without building it:
// letters, digits, - _ . ~ and the space (as +) take one byte, every other
// byte three (%XX).
func queryEscapedLen[S string | []byte](s S) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n += int(max(queryByte[s[i]], 1))
	}
	return n
}

func maps(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// numberProblem reports whether a number in v, at any depth, is longer
// written out than a whole link may be; plain is v's plain form when v is a
// number written with an exponent.
func numberProblem(v any) (long bool, plain string) {
	switch v := v.(type) {
	case json.Number:
		d, ok := parseDecimal(string(v))
		switch {
		case !ok || d.plainLen() > MaxURLBytes:
			return true, ""
		case strings.ContainsAny(string(v), "eE"):
			return false, d.String()
		}
	case []any:
		for _, e := range v {
			if long, _ := numberProblem(e); long {
				return true, ""
			}
		}
	case map[string]any:
		for _, e := range v {
			if long, _ := numberProblem(e); long {
				return true, ""
			}
		}
	}
	return false, ""
}

// newLeg copies a leg that passed every check into a Leg, numbers in shortest form.
func newLeg(m map[string]any) Leg {
	s := func(k string) string { v, _ := m[k].(string); return v }
	n := func(k string) json.Number {
		v, ok := m[k].(json.Number)
		if !ok {
			return ""
		}
		return canonicalNumber(v)
	}
	return Leg{
		Exch: s("exch"), Symbol: s("symbol"), Series: s("series"), Expiry: s("expiry"),
		OptType: s("optType"), Inst: s("inst"), Strike: s("strike"), Qty: n("qty"),
		Side: s("side"), Type: s("type"), Product: s("product"), LimitPrice: n("limitPrice"),
		Validity: s("validity"), DiscQty: n("discQty"), MktProt: n("mktProt"),
	}
}

func syntaxMessage(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "params is empty: it must be a JSON array of legs"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "params is not valid JSON: it ends before the array is closed"
	case errors.As(err, &se):
		return fmt.Sprintf("params is not valid JSON: %s at byte %d", se.Error(), se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("params is not valid JSON: %s at byte %d", te.Error(), te.Offset)
	}
	return "params is not valid JSON: " + err.Error()
}

// describe names what kind of JSON value v is, for messages.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("%t (a boolean)", v)
	case json.Number:
		return string(v) + " (a number)"
	case string:
		if len(v) > 40 {
			v = v[:40] + "…"
		}
		return fmt.Sprintf("%q (a string)", v)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// sortErrors orders errors: the basket's first, then by leg, then by field in canonical key order.
func sortErrors(errs []Error) {
	rank := func(e Error) (int, int, string) {
		if e.Leg == nil {
			return -1, -1, ""
		}
		if e.Field == "" {
			return *e.Leg, -1, ""
		}
		if i := slices.Index(Keys, e.Field); i >= 0 {
			return *e.Leg, i, ""
		}
		return *e.Leg, len(Keys), e.Field
	}
	slices.SortStableFunc(errs, func(a, b Error) int {
		al, af, an := rank(a)
		bl, bf, bn := rank(b)
		if al != bl {
			return al - bl
		}
		if af != bf {
			return af - bf
		}
		return strings.Compare(an, bn)
	})
}
