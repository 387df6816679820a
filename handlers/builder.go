package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"basketlink/basket"
	"basketlink/form"
	"basketlink/templates"
)

// maxFormBytes bounds a builder post: 20 legs of typed fields fit many times over.
const maxFormBytes = 64 << 10

// builderShow is GET /: the builder with one leg of defaults. ?as_of=YYYY-MM-DD
// sets the date expiries are checked against, carried in a hidden field.
func (a *app) builderShow(c echo.Context) error {
	asOf := strings.TrimSpace(c.QueryParam("as_of"))
	if asOf != "" {
		if _, err := basket.ParseAsOf(asOf); err != nil {
			return userError(http.StatusBadRequest, "as_of: %v", err)
		}
	}
	v := templates.Builder{
		Basket:  form.Basket{Legs: []form.Leg{form.NewLeg()}, AsOf: asOf},
		MaxLegs: a.maxLegs(),
	}
	var opts basket.Options
	if asOf != "" {
		opts.AsOf, _ = basket.ParseAsOf(asOf) // checked above
	}
	v.Picks, v.Presets = a.legPicks(v.Basket.Legs), a.presetPanel(url.Values{}, opts)
	return a.render(c, http.StatusOK, templates.BuilderPage(v))
}

// builderPost is POST /: apply the pressed button (add, remove, duplicate,
// move), validate the basket with the shared validation, and show the errors
// next to their fields, or the links when it is valid. htmx swaps #basket
// out of the same page, so one answer serves both.
func (a *app) builderPost(c echo.Context) error {
	if err := a.parseBuilderForm(c); err != nil {
		return err
	}
	return a.renderBuilder(c, a.buildBasket(c.Request().PostForm))
}

// renderBuilder answers a builder post: the whole page, or for htmx just the
// basket section it swaps in place.
func (a *app) renderBuilder(c echo.Context, v templates.Builder) error {
	if c.Request().Header.Get("HX-Request") == "true" {
		return a.render(c, http.StatusOK, templates.BasketSection(v))
	}
	return a.render(c, http.StatusOK, templates.BuilderPage(v))
}

// parseBuilderForm reads a builder post of at most maxFormBytes.
func (a *app) parseBuilderForm(c echo.Context) error {
	return parseForm(c, maxFormBytes)
}

// buildBasket turns posted form values into what the builder shows.
func (a *app) buildBasket(values url.Values) templates.Builder {
	max := a.maxLegs()
	b := form.Parse(values, max)
	a.qtyFromLots(values, b.Legs)
	var root []string
	opts := basket.Options{MaxLegs: max, Contracts: a.cfg.Contracts, AsOf: a.cfg.AsOf}
	if b.AsOf != "" {
		t, err := basket.ParseAsOf(b.AsOf)
		if err != nil {
			root = append(root, "as_of: "+err.Error())
			b.AsOf = ""
		}
		opts.AsOf = t
	}
	op := values.Get("op")
	panel := a.presetPanel(values, opts)
	if op == "preset" && panel != nil {
		fillFromPreset(panel, &b, opts)
	}
	if err := b.Apply(op, max); err != nil {
		root = append(root, err.Error())
	}
	res := basket.Validate(b.JSON(), opts)
	if op != "check" {
		// An edit (a new leg, another instrument) leaves fields still to fill:
		// only "check" reports them missing; a value typed wrong shows at once.
		res.Errors = withoutBlank(res.Errors, b.Legs)
	}
	v := templates.Builder{Basket: b, MaxLegs: max, Errors: form.Place(res, b.Legs), CanSave: a.cfg.Share != nil, Label: values.Get("label")}
	v.Errors.Root = append(root, v.Errors.Root...)
	v.Picks, v.Presets = a.legPicks(b.Legs), panel
	if res.Valid && len(root) == 0 {
		v.Links = a.links(res.Params, &v.Errors)
		v.Tickets = templates.Tickets(res.Parsed)
	}
	return v
}

// links builds the URLs for valid params; a URL over the limit becomes a root error.
func (a *app) links(params string, errs *form.Errors) *templates.Links {
	l := a.link(randomState())
	oc, err := basket.OrderConnectURL(l, params)
	if err != nil {
		errs.Root = append(errs.Root, err.Error())
		return nil
	}
	return &templates.Links{OrderConnect: oc, Login: basket.LoginURL(l), Params: params}
}

// withoutBlank drops the errors on fields the user has left empty.
func withoutBlank(errs []basket.Error, legs []form.Leg) []basket.Error {
	var out []basket.Error
	for _, e := range errs {
		if e.Leg != nil && e.Field != "" && *e.Leg < len(legs) && strings.TrimSpace(legs[*e.Leg][e.Field]) == "" {
			continue
		}
		out = append(out, e)
	}
	return out
}
