package basket

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// A saved basket was valid when it was saved and its canonical params never
// change, so reading it back needs no second validation: only its legs'
// expiries are judged again, against a later date.

// Saved is what is kept of a saved basket's canonical params to serve it
// again: the params and the earliest expiry of its legs.
type Saved struct {
	Params   string
	Earliest string // YYYY-MM-DD, "" when no leg expires
}

// ReadSaved takes canonical params, as Validate returned them for a valid
// basket, back in. Params that are not a JSON array of legs are an error (a
// database edited by hand); nothing else is checked.
func ReadSaved(params string) (Saved, error) {
	var legs []struct {
		Expiry string `json:"expiry"`
	}
	if err := json.Unmarshal([]byte(params), &legs); err != nil {
		return Saved{}, fmt.Errorf("saved params: %w", err)
	}
	sv := Saved{Params: params}
	for _, l := range legs {
		if l.Expiry != "" && (sv.Earliest == "" || l.Expiry < sv.Earliest) {
			sv.Earliest = l.Expiry
		}
	}
	return sv, nil
}

// Placeable reports whether no leg expired before asOf.
func (s Saved) Placeable(asOf time.Time) bool {
	return s.Earliest == "" || s.Earliest >= asOf.Format(time.DateOnly)
}

// Result is the saved basket as a valid Validate result would show it as of
// asOf: its legs decoded for display, and an error for each leg whose
// contract expired before asOf, worded as Validate words it.
func (s Saved) Result(asOf time.Time) Result {
	res := Result{Params: s.Params}
	dec := json.NewDecoder(bytes.NewReader([]byte(s.Params)))
	dec.UseNumber()
	if err := dec.Decode(&res.Items); err != nil {
		res.Errors = []Error{rootError("the saved basket could not be read: " + err.Error())}
		return res
	}
	res.Legs = len(res.Items)
	day := asOf.Format(time.DateOnly)
	for i, m := range res.Items {
		if e, _ := m["expiry"].(string); e != "" && e < day {
			res.Errors = append(res.Errors, legError(i, "expiry", expiredMessage(e, day)))
		}
	}
	res.Valid = len(res.Errors) == 0
	return res
}

func expiredMessage(expiry, asOf string) string {
	return fmt.Sprintf("contract expired: expiry %s is before the as-of date %s", expiry, asOf)
}
