package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"basketlink/share"
)

// basketGo is GET /b/{id}/go, the short link: a 302 to the order-connect URL
// with a fresh state for this click, bound to this browser by a cookie. It
// writes nothing to the database (the continue is counted in memory). A link
// that is not active answers 410 and redirects nowhere.
func (a *app) basketGo(c echo.Context) error {
	id := c.Param("id")
	r, sv, err := a.cfg.Share.Click(c.Request().Context(), id)
	switch {
	case errors.Is(err, share.ErrNotFound):
		return notFoundBasket()
	case errors.Is(err, share.ErrNotPlaceable), errors.Is(err, share.ErrInactive):
		return a.inactive(c, sv, a.cfg.Share.Status(sv))
	case err != nil:
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store") // (Referrer-Policy: no-referrer is on every answer)
	h.Add("Set-Cookie", r.SetCookie)
	if c.Request().Method == http.MethodGet { // a HEAD is a link checker, not a person
		a.cfg.Counter.Continue(id)
	}
	if c.Request().URL.RawQuery != "" { // a click from a fintech site's button
		a.setEmbedCookie(c, r.CookieName, id, a.embedTargetOf(c.QueryParams()))
	}
	return c.Redirect(http.StatusFound, r.URL)
}
