package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"basketlink/i18n"
	"basketlink/store"
	"basketlink/templates"
)

// linksList is GET /links: the creator's saved links, newest first, with
// their counts; ?q= searches labels, ?cursor= pages on.
func (a *app) linksList(c echo.Context) error {
	search := c.QueryParam("q")
	q, err := linkQuery("", c.QueryParam("cursor"), search)
	if err != nil {
		return err
	}
	ask := q
	ask.Limit = q.Limit + 1
	ls, err := a.cfg.Share.Links(c.Request().Context(), ask)
	if err != nil {
		return err
	}
	v := templates.LinksPage{Search: search}
	if len(ls) > q.Limit {
		ls = ls[:q.Limit]
		v.NextURL = linksURL(search, store.CursorOf(ls[len(ls)-1].Link).String())
	}
	if !q.After.IsZero() {
		v.FirstURL = linksURL(search, "")
	}
	for _, l := range ls {
		s := l.Stats
		v.Rows = append(v.Rows, templates.LinkRow{ID: l.ID, Label: l.Label, Created: i18n.Time(l.CreatedAt), Status: l.Status,
			Views: s.Views, Continues: s.Continues, Completed: s.Completed, Cancelled: s.Cancelled,
			Failed: s.Refused + s.Timeout + s.Error})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return a.render(c, http.StatusOK, templates.LinksList(v))
}

func linksURL(search, cursor string) string {
	q := url.Values{}
	if search != "" {
		q.Set("q", search)
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if len(q) == 0 {
		return "/links"
	}
	return "/links?" + q.Encode()
}
