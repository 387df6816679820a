// Package basket parses, validates and encodes Tradejini order-connect baskets:
// the JSON array of order legs carried in the params query parameter.
package basket

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"basketlink/contracts"
)

// DefaultMaxLegs is how many legs a basket may hold unless Options.MaxLegs says otherwise.
const DefaultMaxLegs = 20

// Keys lists every key a leg may carry, in canonical order.
var Keys = []string{
	"exch", "symbol", "series", "expiry", "optType", "inst", "strike", "qty", "side",
	"type", "product", "limitPrice", "validity", "discQty", "mktProt",
}

// Leg is one order of a basket, for any of the three instruments. Numbers keep
// the decimal text they were written with; a key that is absent is empty.
type Leg struct {
	Exch       string      `json:"exch"`
	Symbol     string      `json:"symbol"`
	Series     string      `json:"series,omitempty"`
	Expiry     string      `json:"expiry,omitempty"`
	OptType    string      `json:"optType,omitempty"`
	Inst       string      `json:"inst"`
	Strike     string      `json:"strike,omitempty"`
	Qty        json.Number `json:"qty"`
	Side       string      `json:"side"`
	Type       string      `json:"type"`
	Product    string      `json:"product"`
	LimitPrice json.Number `json:"limitPrice"`
	Validity   string      `json:"validity"`
	DiscQty    json.Number `json:"discQty,omitempty"`
	MktProt    json.Number `json:"mktProt,omitempty"`
}

// Error is one validation failure, located by an RFC 6901 JSON Pointer into the
// params array. Leg and Field are unset for an error about the basket as a whole.
type Error struct {
	Pointer string `json:"pointer"`
	Leg     *int   `json:"leg,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// MarshalJSON writes the SPEC shape: field is present on every error about a
// leg's key, the empty key "" included, and absent on root and whole-leg errors.
func (e Error) MarshalJSON() ([]byte, error) {
	type wire struct {
		Pointer string  `json:"pointer"`
		Leg     *int    `json:"leg,omitempty"`
		Field   *string `json:"field,omitempty"`
		Message string  `json:"message"`
	}
	w := wire{Pointer: e.Pointer, Leg: e.Leg, Message: e.Message}
	if e.Field != "" || (e.Leg != nil && e.Pointer != "/"+strconv.Itoa(*e.Leg)) {
		w.Field = &e.Field
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // the caller's encoder decides about escaping
	if err := enc.Encode(w); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func (e Error) Error() string {
	if e.Pointer == "" {
		return e.Message
	}
	return e.Pointer + ": " + e.Message
}

// rootError is an error about the basket as a whole.
func rootError(msg string) Error { return Error{Pointer: "", Message: msg} }

// legError is an error about one field of leg i.
func legError(i int, field, msg string) Error {
	return Error{Pointer: "/" + strconv.Itoa(i) + "/" + escapePointer(field), Leg: &i, Field: field, Message: msg}
}

// wholeLegError is an error about leg i as a whole.
func wholeLegError(i int, msg string) Error {
	return Error{Pointer: "/" + strconv.Itoa(i), Leg: &i, Message: msg}
}

// Result is the outcome of validating a basket, in the JSON shape docs/leg-rules.md documents.
type Result struct {
	Valid  bool    `json:"valid"`
	Legs   int     `json:"legs"`
	Errors []Error `json:"errors,omitempty"`
	Params string  `json:"params,omitempty"`

	// Items holds each element of the array as decoded (a map for an object,
	// nil for anything else), so pages can show even an invalid basket.
	Items []map[string]any `json:"-"`
	// Parsed holds the typed legs when Valid; a saved basket's Result
	// (Saved.Result) holds them also when a contract expired, and no Items.
	Parsed []Leg `json:"-"`
}

// Options tune a validation.
type Options struct {
	// AsOf is the date expiries are compared with; zero means today in Asia/Kolkata.
	AsOf time.Time
	// MaxLegs caps the number of legs; zero means DefaultMaxLegs.
	MaxLegs int
	// Contracts, when set, is the instrument master: every leg must name a
	// listed contract, in whole lots, at a price on the tick.
	Contracts *contracts.Master
}
