package templates

import (
	"slices"
	"strconv"
)

// LegPicks are what the instrument master offers one leg of the builder:
// symbols to pick from, listed expiries and strikes, and the lot size that
// turns its quantity into lots. An empty LegPicks changes nothing.
type LegPicks struct {
	Symbols  []string // a datalist for the symbol
	Expiries []string // a select for the expiry
	Strikes  []string // a select for the strike
	Lot      int64    // > 0: the quantity is typed in lots of this size
	Lots     string   // the lots field's text
	Units    int64    // Lots × Lot, when Lots is a whole number
}

// Has reports whether the master offers key something to pick from.
func (p LegPicks) Has(key string) bool {
	switch key {
	case "symbol":
		return len(p.Symbols) > 0
	case "expiry":
		return len(p.Expiries) > 0
	case "strike":
		return len(p.Strikes) > 0
	case "qty":
		return p.Lot > 0
	}
	return false
}

// pick returns leg i's picks, or none.
func (v Builder) pick(i int) LegPicks {
	if i < len(v.Picks) {
		return v.Picks[i]
	}
	return LegPicks{}
}

// Presets is the builder's strategy panel: its choices and what was picked.
type Presets struct {
	Names    []PresetName
	Name     string // the chosen preset
	Strikes  int    // how many strikes it takes
	Symbols  []string
	Symbol   string
	Expiries []string
	Expiry   string
	Grid     []string // the strikes listed for Symbol at Expiry
	Picked   []string // the chosen strikes, lowest first
	Lots     string
	Lot      int64  // the lot size of Symbol, 0 when unknown
	Side     string // "" for the strategy's usual side
	Usual    string // the strategy's usual side
	Product  string
	Errors   []string
}

// PresetName is one choice of the strategy select.
type PresetName struct{ Name, Title string }

// picked is the i-th chosen strike, or "".
func (p Presets) picked(i int) string {
	if i < len(p.Picked) {
		return p.Picked[i]
	}
	return ""
}

// strikeLabel names the i-th strike select of n.
func strikeLabel(i, n int) string {
	switch {
	case n == 1:
		return "Strike"
	case i == 0:
		return "Strike 1 (lowest)"
	case i == n-1:
		return "Strike " + strconv.Itoa(i+1) + " (highest)"
	}
	return "Strike " + strconv.Itoa(i+1)
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }

// pickChoices is what a leg's select offers for key.
func pickChoices(key string, p LegPicks) []string {
	if key == "expiry" {
		return p.Expiries
	}
	return p.Strikes
}

func contains(xs []string, x string) bool { return slices.Contains(xs, x) }
