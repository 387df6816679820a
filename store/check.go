package store

import (
	"encoding/json"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// checkBasket refuses what no basket may hold. The leg rules are not the
// store's business; the caller saves canonical params that passed them.
func checkBasket(label, params string) error {
	if !utf8.ValidString(label) {
		return fmt.Errorf("store: %w: label is not valid UTF-8", ErrInvalid)
	}
	if n := utf8.RuneCountInString(label); n > MaxLabelChars {
		return fmt.Errorf("store: %w: label has %d characters; at most %d are allowed", ErrInvalid, n, MaxLabelChars)
	}
	for _, r := range label {
		if unicode.IsControl(r) {
			return fmt.Errorf("store: %w: label contains a control character (%U)", ErrInvalid, r)
		}
	}
	if params == "" {
		return fmt.Errorf("store: %w: params are empty", ErrInvalid)
	}
	if len(params) > MaxParamsBytes {
		return fmt.Errorf("store: %w: params are %d bytes; at most %d are allowed", ErrInvalid, len(params), MaxParamsBytes)
	}
	if !json.Valid([]byte(params)) {
		return fmt.Errorf("store: %w: params are not valid JSON", ErrInvalid)
	}
	return nil
}

// checkOutcome refuses a malformed outcome and cuts an overlong message.
func checkOutcome(o *Outcome) error {
	switch o.Status {
	case StatusOK, StatusCancelled, StatusRefused, StatusTimeout, StatusError:
	default:
		return fmt.Errorf("store: %w: outcome status %q is not one of ok, cancelled, refused, timeout, error", ErrInvalid, o.Status)
	}
	if o.BasketID == "" {
		return fmt.Errorf("store: %w: outcome has no basket id", ErrInvalid)
	}
	if o.HTTPStatus != 0 && (o.HTTPStatus < 100 || o.HTTPStatus > 599) {
		return fmt.Errorf("store: %w: outcome HTTP status %d is not 0 or 100-599", ErrInvalid, o.HTTPStatus)
	}
	// A whole token must never land in the clear: only its last 4 characters.
	if n := utf8.RuneCountInString(o.TokenTail); n > 4 {
		return fmt.Errorf("store: %w: token tail has %d characters; at most 4 are kept", ErrInvalid, n)
	}
	if !utf8.ValidString(o.Message) {
		o.Message = string([]rune(o.Message)) // replaces invalid bytes with U+FFFD
	}
	if utf8.RuneCountInString(o.Message) > MaxMessageChars {
		o.Message = string([]rune(o.Message)[:MaxMessageChars-1]) + "…"
	}
	return nil
}
