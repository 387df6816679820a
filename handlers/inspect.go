package handlers

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"basketlink/basket"
	"basketlink/templates"
)

// inspect is GET /inspect[?link=...&as_of=D]: an order-connect URL, or a raw
// params JSON array, taken apart: its query, a table of its legs with every
// error in its cell, and the canonical params when it is valid.
func (a *app) inspect(c echo.Context) error {
	v := templates.Inspect{
		Input: c.QueryParam("link"),
		AsOf:  strings.TrimSpace(c.QueryParam("as_of")),
	}
	opts := basket.Options{MaxLegs: a.maxLegs(), Contracts: a.cfg.Contracts}
	if v.AsOf != "" {
		t, err := basket.ParseAsOf(v.AsOf)
		if err != nil {
			return userError(http.StatusBadRequest, "as_of: %v", err)
		}
		opts.AsOf = t
	}
	input := strings.TrimSpace(v.Input)
	if input == "" {
		return a.render(c, http.StatusOK, templates.InspectPage(v))
	}
	v.Submitted = true
	if strings.HasPrefix(input, "[") || strings.HasPrefix(input, "{") {
		v.Result = basket.Validate([]byte(input), opts)
	} else {
		d, err := basket.DecodeURL(input)
		if err != nil {
			v.Problem = err.Error() + ". Paste a whole order-connect URL, or a params JSON array starting with [."
			return a.render(c, http.StatusOK, templates.InspectPage(v))
		}
		v.BaseURL, v.Endpoint, v.Query = d.BaseURL, d.Endpoint, d.Query
		v.Result = d.Validate(opts)
	}
	v.Items = v.Result.Items
	v.Columns = basket.Columns(v.Result.Items)
	v.Cells, v.LegNotes, v.Root = placeCells(v.Result, v.Columns)
	return a.render(c, http.StatusOK, templates.InspectPage(v))
}

// placeCells puts each error in the cell of its leg and field when the table
// has one, else under its leg, or at the top when it is about the whole basket.
func placeCells(res basket.Result, columns []string) (cells map[int]map[string][]string, notes map[int][]string, root []string) {
	cells, notes = map[int]map[string][]string{}, map[int][]string{}
	for _, e := range res.Errors {
		switch {
		case e.Leg == nil:
			root = append(root, e.Message)
		case e.Field != "" && slices.Contains(columns, e.Field) && hasKey(res.Items, *e.Leg, e.Field):
			if cells[*e.Leg] == nil {
				cells[*e.Leg] = map[string][]string{}
			}
			cells[*e.Leg][e.Field] = append(cells[*e.Leg][e.Field], e.Message)
		case e.Field != "":
			notes[*e.Leg] = append(notes[*e.Leg], e.Field+": "+e.Message)
		default:
			notes[*e.Leg] = append(notes[*e.Leg], e.Message)
		}
	}
	return cells, notes, root
}

func hasKey(items []map[string]any, i int, key string) bool {
	if i >= len(items) || items[i] == nil {
		return false
	}
	_, ok := items[i][key]
	return ok
}
