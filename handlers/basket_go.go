package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"basketlink/share"
)

// basketGo is GET /b/{id}/go, the short link: a 302 to the order-connect URL
// with a fresh state for this click, bound to this browser by a cookie. It
// writes nothing to the database. A basket that can no longer be placed
// answers 410 and redirects nowhere.
func (a *app) basketGo(c echo.Context) error {
	u, cookie, sv, err := a.cfg.Share.Click(c.Request().Context(), c.Param("id"))
	switch {
	case errors.Is(err, share.ErrNotFound):
		return notFoundBasket()
	case errors.Is(err, share.ErrNotPlaceable):
		return notPlaceable(c, sv)
	case err != nil:
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	c.SetCookie(cookie)
	a.setEmbedCookie(c, sv.ID, a.embedTargetOf(c.QueryParams()))
	return c.Redirect(http.StatusFound, u)
}
