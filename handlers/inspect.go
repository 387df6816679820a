package handlers

import (
	"fmt"
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
	opts := basket.Options{MaxLegs: a.maxLegs(), Contracts: a.cfg.Contracts, AsOf: a.cfg.AsOf}
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
			v.Problem = notURLProblem(err)
			return a.render(c, http.StatusOK, templates.InspectPage(v))
		}
		v.BaseURL, v.Endpoint, v.Query = d.BaseURL, d.Endpoint, d.Query
		v.Result = d.Validate(opts)
		v.Notes = a.urlNotes(d, len(input))
	}
	v.Items = v.Result.Items
	if v.Result.Valid {
		v.Tickets = templates.Tickets(v.Result.Parsed)
	}
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

// notURLProblem says why input that is neither a params array nor a URL
// could not be read, and what to paste instead.
func notURLProblem(err error) string {
	why := strings.TrimPrefix(err.Error(), basket.ErrNotURL.Error()+": ")
	if strings.Contains(why, "scheme and host") {
		why = "it does not start with https:// and a host"
	}
	return "This is neither an order-connect URL nor a params JSON array (" + why + "). " +
		"Paste a whole URL, like " + basket.DefaultBaseURL + "/api-gw/oauth/order-connect?client_id=…&params=…, " +
		"or a params array starting with ["
}

// urlNotes warns about a URL that would not work as a Tradejini basket link
// even when its legs are fine: too long, not the order-connect endpoint, or
// another host than Tradejini's (or this server's simulator).
func (a *app) urlNotes(d basket.Decoded, size int) []string {
	var notes []string
	if size > basket.MaxURLBytes {
		notes = append(notes, fmt.Sprintf("This URL is %d bytes, over the %d bytes basketlink allows (the builder and the API refuse longer ones): browsers, proxies or Tradejini may cut it short.", size, basket.MaxURLBytes))
	}
	switch d.Endpoint {
	case "order-connect":
	case "authorize":
		notes = append(notes, "This is a login-only URL (/api-gw/oauth/authorize): it signs in but carries no basket. A basket goes to /api-gw/oauth/order-connect.")
	default:
		notes = append(notes, fmt.Sprintf("The path %q is not Tradejini's order-connect endpoint (/api-gw/oauth/order-connect): Tradejini would not read a basket from it.", d.Endpoint))
	}
	if d.BaseURL != basket.DefaultBaseURL && d.BaseURL != a.cfg.BaseURL {
		notes = append(notes, fmt.Sprintf("This URL goes to %s, not to Tradejini (%s): the legs are checked anyway, but Tradejini never sees this link.", d.BaseURL, basket.DefaultBaseURL))
	}
	return notes
}
