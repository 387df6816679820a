package contracts

import (
	"slices"
	"sort"
)

// Lookup finds the contract q names, or says which field matches nothing and
// what is listed there instead. A nil master finds nothing.
func (m *Master) Lookup(q Query) (*Contract, Miss) {
	if m == nil {
		return nil, Miss{Field: "symbol"}
	}
	u := m.under[underKey{q.Exch, q.Inst, q.Symbol}]
	if u == nil {
		return nil, Miss{Field: "symbol", ListedAs: slices.Clone(m.listing[q.Symbol])}
	}
	if q.Inst == "EQT" {
		if c := u.series[q.Series]; c != nil {
			return c, Miss{}
		}
		var series []string
		for s := range u.series {
			series = append(series, s)
		}
		slices.Sort(series)
		return nil, Miss{Field: "series", Series: series}
	}
	e := u.byExpiry[q.Expiry]
	if e == nil {
		return nil, Miss{Field: "expiry", Expiries: slices.Clone(u.expiries)}
	}
	if q.Inst == "FUTIDX" {
		if e.future != nil {
			return e.future, Miss{}
		}
		return nil, Miss{Field: "expiry", Expiries: u.futureExpiries()}
	}
	g := e.options[q.OptType]
	if g == nil {
		var types []string
		for t := range e.options {
			types = append(types, t)
		}
		slices.Sort(types)
		if len(types) == 0 {
			return nil, Miss{Field: "expiry", Expiries: u.optionExpiries()}
		}
		return nil, Miss{Field: "optType", OptTypes: types}
	}
	if c := g.byStrike[q.Strike]; c != nil {
		return c, Miss{}
	}
	miss := Miss{Field: "strike"}
	i := sort.Search(len(g.strikes), func(i int) bool { return g.strikes[i] >= q.Strike })
	if i > 0 {
		miss.Below = g.strikes[i-1]
	}
	if i < len(g.strikes) {
		miss.Above = g.strikes[i]
	}
	return nil, miss
}

func (u *underlying) futureExpiries() []string {
	var out []string
	for _, x := range u.expiries {
		if u.byExpiry[x].future != nil {
			out = append(out, x)
		}
	}
	return out
}

func (u *underlying) optionExpiries() []string {
	var out []string
	for _, x := range u.expiries {
		if len(u.byExpiry[x].options) > 0 {
			out = append(out, x)
		}
	}
	return out
}

// Symbols lists the symbols listed on exch as inst, sorted.
func (m *Master) Symbols(exch, inst string) []string {
	if m == nil {
		return nil
	}
	return slices.Clone(m.symbols[Listing{exch, inst}])
}

// Expiries lists a derivative symbol's expiries, in date order.
func (m *Master) Expiries(exch, inst, symbol string) []string {
	if m == nil {
		return nil
	}
	if u := m.under[underKey{exch, inst, symbol}]; u != nil {
		return slices.Clone(u.expiries)
	}
	return nil
}

// Strikes lists the strikes of an option symbol at one expiry, of either
// option type, in order.
func (m *Master) Strikes(exch, symbol, expiryDate string) []Paise {
	if m == nil {
		return nil
	}
	if u := m.under[underKey{exch, "OPTIDX", symbol}]; u != nil {
		if e := u.byExpiry[expiryDate]; e != nil {
			return slices.Clone(e.strikes)
		}
	}
	return nil
}

// LotSize is the lot of a derivative symbol at an expiry, or at its first
// listed expiry when that one is not listed; ok is false for an unlisted symbol.
func (m *Master) LotSize(exch, inst, symbol, expiryDate string) (lot int64, ok bool) {
	if m == nil {
		return 0, false
	}
	u := m.under[underKey{exch, inst, symbol}]
	if u == nil {
		return 0, false
	}
	for _, c := range u.series {
		return c.LotSize, true
	}
	e := u.byExpiry[expiryDate]
	if e == nil && len(u.expiries) > 0 {
		e = u.byExpiry[u.expiries[0]]
	}
	if e == nil {
		return 0, false
	}
	if e.future != nil {
		return e.future.LotSize, true
	}
	for _, g := range e.options {
		for _, c := range g.byStrike {
			return c.LotSize, true
		}
	}
	return 0, false
}
