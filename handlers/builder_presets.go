package handlers

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"basketlink/basket"
	"basketlink/form"
	"basketlink/templates"
)

// presetPanel is the builder's strategy panel as posted (or its defaults),
// with its lists read from the master; nil without a master.
func (a *app) presetPanel(values url.Values, opts basket.Options) *templates.Presets {
	m := a.cfg.Contracts
	if m == nil {
		return nil
	}
	p := &templates.Presets{Name: values.Get("preset"), Symbol: values.Get("preset.symbol"), Expiry: values.Get("preset.expiry"),
		Lots: values.Get("preset.lots"), Side: values.Get("preset.side"), Product: values.Get("preset.product")}
	for _, pr := range basket.Presets() {
		p.Names = append(p.Names, templates.PresetName{Name: pr.Name, Title: pr.Title})
	}
	preset, ok := basket.FindPreset(p.Name)
	if !ok {
		preset = basket.Presets()[0]
		p.Name = preset.Name
	}
	p.Strikes, p.Usual = preset.Strikes, preset.Side
	p.Symbols = m.Symbols("NFO", "OPTIDX")
	if p.Symbol == "" && len(p.Symbols) > 0 {
		p.Symbol = p.Symbols[0]
		for _, s := range p.Symbols {
			if s == "NIFTY" {
				p.Symbol = s
			}
		}
	}
	asOf := basket.Today()
	if !opts.AsOf.IsZero() {
		asOf = opts.AsOf
	}
	for _, x := range m.Expiries("NFO", "OPTIDX", p.Symbol) {
		if basket.Live(x, asOf.Format(time.DateOnly)) {
			p.Expiries = append(p.Expiries, x)
		}
	}
	if (p.Expiry == "" || !slices.Contains(p.Expiries, p.Expiry)) && len(p.Expiries) > 0 {
		p.Expiry = p.Expiries[0]
	}
	p.Grid = paiseTexts(m.Strikes("NFO", p.Symbol, p.Expiry))
	for _, s := range values["preset.strike"] {
		if s = strings.TrimSpace(s); s != "" {
			p.Picked = append(p.Picked, s)
		}
	}
	if lot, ok := m.LotSize("NFO", "OPTIDX", p.Symbol, p.Expiry); ok {
		p.Lot = lot
	}
	if p.Lots == "" {
		p.Lots = "1"
	}
	if p.Product == "" {
		p.Product = "intraday"
	}
	return p
}

// fillFromPreset builds the panel's strategy with the one preset builder and,
// when its legs validate, puts them in place of the basket's legs; else the
// panel shows why.
func fillFromPreset(p *templates.Presets, b *form.Basket, opts basket.Options) {
	preset, _ := basket.FindPreset(p.Name)
	lots, err := strconv.ParseInt(strings.TrimSpace(p.Lots), 10, 64)
	if err != nil {
		lots = 0 // the preset builder says lots must be a whole number from 1
	}
	req := basket.PresetRequest{Symbol: p.Symbol, Expiry: p.Expiry, Strikes: p.Picked, Lots: lots, Side: p.Side,
		Type: "market", Product: p.Product}
	res := basket.BuildPreset(preset, req, opts)
	if !res.Valid {
		for _, e := range res.Errors {
			p.Errors = append(p.Errors, presetFieldWords(e)+e.Message)
		}
		return
	}
	legs, err := formLegs(res.Params)
	if err != nil {
		p.Errors = append(p.Errors, err.Error())
		return
	}
	b.Legs = legs
}

// presetFieldWords names the panel field an error is about.
func presetFieldWords(e basket.Error) string {
	words := map[string]string{"symbol": "Index", "expiry": "Expiry", "strikes": "Strikes", "lots": "Lots", "side": "Side", "product": "Product"}
	if w, ok := words[e.Field]; ok {
		return w + ": "
	}
	return ""
}

// formLegs turns canonical params into the builder's legs.
func formLegs(params string) ([]form.Leg, error) {
	dec := json.NewDecoder(strings.NewReader(params))
	dec.UseNumber()
	var items []map[string]any
	if err := dec.Decode(&items); err != nil {
		return nil, fmt.Errorf("the strategy's legs could not be read: %v", err)
	}
	legs := make([]form.Leg, len(items))
	for i, it := range items {
		legs[i] = form.Leg{}
		for k, v := range it {
			legs[i][k] = fmt.Sprint(v)
		}
	}
	return legs, nil
}
