package form

import (
	"slices"

	"basketlink/basket"
)

// Errors places validation errors: on a leg's field, on a leg as a whole, or on the basket.
type Errors struct {
	Root []string
	// Legs lists the errors on legs in the order validation found them, for a summary.
	Legs  []LegError
	field map[int]map[string][]string
	leg   map[int][]string
}

// LegError is an error on leg Leg; Field is "" when it is about the leg as a whole.
type LegError struct {
	Leg     int
	Field   string
	Message string
}

// Place sorts res's errors by where they belong; an error on a field the
// leg does not show counts as an error on the leg.
func Place(res basket.Result, legs []Leg) Errors {
	e := Errors{field: map[int]map[string][]string{}, leg: map[int][]string{}}
	for _, err := range res.Errors {
		switch {
		case err.Leg == nil:
			e.Root = append(e.Root, err.Message)
			continue
		case err.Field != "" && *err.Leg < len(legs) && (err.Field == "inst" || slices.Contains(legs[*err.Leg].Fields(), err.Field)):
			if e.field[*err.Leg] == nil {
				e.field[*err.Leg] = map[string][]string{}
			}
			e.field[*err.Leg][err.Field] = append(e.field[*err.Leg][err.Field], err.Message)
		default:
			msg := err.Message
			if err.Field != "" {
				msg = err.Field + ": " + msg
			}
			e.leg[*err.Leg] = append(e.leg[*err.Leg], msg)
		}
		e.Legs = append(e.Legs, LegError{Leg: *err.Leg, Field: err.Field, Message: err.Message})
	}
	return e
}

// Field returns the messages for key of leg i.
func (e Errors) Field(i int, key string) []string { return e.field[i][key] }

// Leg returns the messages about leg i as a whole.
func (e Errors) Leg(i int) []string { return e.leg[i] }

// Any reports whether there is any error.
func (e Errors) Any() bool { return len(e.Root) > 0 || len(e.field) > 0 || len(e.leg) > 0 }
