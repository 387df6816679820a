package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"basketlink/i18n"
	"basketlink/linkstats"
	"basketlink/share"
	"basketlink/store"
	"basketlink/templates"
)

// basketReview is GET /b/{id}: the public review page of a saved basket, as
// trade tickets. A link that is not active answers 410. A view is counted
// unless it is a HEAD or a link-preview bot's fetch.
func (a *app) basketReview(c echo.Context) error {
	sv, err := a.savedBasket(c)
	if err != nil {
		return err
	}
	if st := a.cfg.Share.Status(sv); st != store.LinkActive {
		return a.inactive(c, sv, st)
	}
	if r := c.Request(); r.Method == http.MethodGet && !linkstats.IsPreviewBot(r.UserAgent()) {
		a.cfg.Counter.View(sv.ID)
	}
	v := templates.Review{
		ID: sv.ID, Label: sv.Label,
		Tickets: templates.Tickets(sv.Result.Parsed),
		Valid:   true, GoURL: reviewPath(sv.ID) + "/go" + a.embedTargetOf(c.QueryParams()).query(),
		Created: i18n.From(c.Request().Context()).Time(sv.CreatedAt),
	}
	// The preview card of chat apps (a GET changes nothing, so their bots
	// cannot use a link up).
	og := templates.OpenGraph{Title: sv.Label, URL: a.cfg.PublicURL + reviewPath(sv.ID), Tickets: v.Tickets}
	if og.Title == "" {
		og.Title = i18n.T(c.Request().Context(), "review.title")
	}
	return a.renderIn(c, templates.WithOpenGraph(c.Request().Context(), og), http.StatusOK, templates.ReviewPage(v))
}

// savedBasket loads the basket named by the :id path parameter: 404 when there is none.
func (a *app) savedBasket(c echo.Context) (*share.Saved, error) {
	sv, err := a.cfg.Share.Basket(c.Request().Context(), c.Param("id"))
	if errors.Is(err, share.ErrNotFound) {
		return nil, notFoundBasket()
	}
	if err != nil {
		return nil, err
	}
	return sv, nil
}

// notPlaceable is the 410 of a saved basket that no longer validates: each
// contract that expired by name, any other reason as the rules say it.
func notPlaceable(c echo.Context, sv *share.Saved) error {
	var lines []string
	expired := false
	for _, e := range sv.Result.Errors {
		if e.Leg != nil && e.Field == "expiry" && *e.Leg < len(sv.Result.Parsed) {
			expired = true
			lines = append(lines, templates.NewTicket(sv.Result.Parsed[*e.Leg]).Contract)
			continue
		}
		lines = append(lines, e.Message)
	}
	if expired {
		return gone("problem.410.expired", lines)
	}
	return gone("problem.410.inactive", lines)
}

// reviewPath is the path of a saved basket's review page; its short link is this + "/go".
func reviewPath(id string) string { return "/b/" + id }
