package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"basketlink/i18n"
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
	ls, next, err := a.cfg.Share.Links(c.Request().Context(), q)
	if err != nil {
		return err
	}
	v := templates.LinksPage{Search: search}
	if next != "" {
		v.NextURL = linksURL(search, next)
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
