package handlers

import (
	"net/url"
	"strconv"
	"strings"

	"basketlink/contracts"
	"basketlink/form"
	"basketlink/templates"
)

// derivative reports whether inst trades in lots of a listed size.
func derivative(inst string) bool { return inst == "FUTIDX" || inst == "OPTIDX" }

// qtyFromLots turns the lots typed for futures and options (legs.N.lots) into
// their qty, lots × the master's lot size. Lots that are not a whole number
// go into qty as typed, so the validation names the mistake.
func (a *app) qtyFromLots(values url.Values, legs []form.Leg) {
	m := a.cfg.Contracts
	if m == nil {
		return
	}
	for i, leg := range legs {
		vals, ok := values["legs."+strconv.Itoa(i)+".lots"]
		if !ok || len(vals) == 0 || !derivative(leg["inst"]) {
			continue
		}
		text := strings.TrimSpace(vals[0])
		lot, known := m.LotSize(leg["exch"], leg["inst"], strings.TrimSpace(leg["symbol"]), leg["expiry"])
		n, err := strconv.ParseInt(text, 10, 64)
		if !known || err != nil || n < 1 || n > 1e9 {
			leg["qty"] = text
			continue
		}
		leg["qty"] = strconv.FormatInt(n*lot, 10)
	}
}

// legPicks is what the master offers each leg: symbols, expiries, strikes, and
// lots for a quantity that is a whole number of them.
func (a *app) legPicks(legs []form.Leg) []templates.LegPicks {
	m := a.cfg.Contracts
	if m == nil {
		return nil
	}
	out := make([]templates.LegPicks, len(legs))
	for i, leg := range legs {
		exch, inst, symbol := leg["exch"], leg["inst"], strings.TrimSpace(leg["symbol"])
		p := templates.LegPicks{Symbols: m.Symbols(exch, inst)}
		if derivative(inst) {
			p.Expiries = m.Expiries(exch, inst, symbol)
			if lot, ok := m.LotSize(exch, inst, symbol, leg["expiry"]); ok {
				// Lots when the quantity is whole lots (or still empty); else
				// the quantity as typed, beside the error that says why.
				qty, err := strconv.ParseInt(strings.TrimSpace(leg["qty"]), 10, 64)
				switch {
				case strings.TrimSpace(leg["qty"]) == "":
					p.Lot = lot
				case err == nil && qty > 0 && qty%lot == 0:
					p.Lot, p.Lots, p.Units = lot, strconv.FormatInt(qty/lot, 10), qty
				}
			}
		}
		if inst == "OPTIDX" {
			p.Strikes = paiseTexts(m.Strikes(exch, symbol, leg["expiry"]))
		}
		out[i] = p
	}
	return out
}

func paiseTexts(ps []contracts.Paise) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}
