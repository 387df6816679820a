// Package contracts is the instrument master: the tradable contracts read from
// a CSV file once at start, indexed so that a leg's contract, lot size and tick
// size are found with a few map lookups.
package contracts

// header is the master's first row, column by column.
var header = [...]string{"exch", "symbol", "series", "inst", "expiry", "opt_type", "strike", "lot_size", "tick_size"}

// Contract is one tradable contract: an equity (series set), an index future
// (expiry set) or an index option (expiry, option type and strike set).
type Contract struct {
	Exch    string
	Symbol  string
	Series  string
	Inst    string
	Expiry  string // YYYY-MM-DD
	OptType string // CE or PE
	Strike  Paise  // 0 unless an option
	LotSize int64  // units in one lot
	Tick    Paise  // the smallest price step
}

// Query names a contract as a leg does. Strike is 0 for anything but an option.
type Query struct {
	Exch, Inst, Symbol, Series, Expiry, OptType string
	Strike                                      Paise
}

// Listing is an exchange and instrument a symbol is listed under.
type Listing struct{ Exch, Inst string }

// Miss says why a query names no listed contract: the first field, in the
// order symbol, series, expiry, optType, strike, that matches nothing, and
// what is listed there instead.
type Miss struct {
	Field string // "" when the contract is listed

	ListedAs []Listing // Field "symbol": where else the symbol is listed
	Series   []string  // Field "series": the symbol's listed series
	Expiries []string  // Field "expiry": the symbol's listed expiries, in date order
	OptTypes []string  // Field "optType": the option types listed for the expiry
	// Field "strike": the nearest listed strikes below and above (0: none that side).
	Below, Above Paise
}

// Master is a loaded instrument master. The zero value lists nothing; a nil
// *Master is never consulted (callers check for nil: no master, no contract rules).
type Master struct {
	under   map[underKey]*underlying
	listing map[string][]Listing // symbol -> where it is listed, for messages
	symbols map[Listing][]string // exch+inst -> its symbols, sorted
	rows    int
}

type underKey struct{ exch, inst, symbol string }

// underlying is everything listed for one symbol on one exchange and instrument.
type underlying struct {
	series   map[string]*Contract // equities
	expiries []string             // derivatives, sorted
	byExpiry map[string]*expiry
}

type expiry struct {
	future  *Contract
	options map[string]*grid // by option type
	strikes []Paise          // every strike of either type, sorted
}

// grid is the strikes listed for one symbol, expiry and option type.
type grid struct {
	strikes  []Paise // sorted
	byStrike map[Paise]*Contract
}

// Len is how many contracts the master lists.
func (m *Master) Len() int { return m.rows }
