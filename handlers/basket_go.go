package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"basketlink/share"
)

// basketGo is GET /b/{id}/go, the short link: a 302 to the order-connect URL
// with a fresh state for this click, bound to this browser by a cookie. It
// writes nothing to the database.
func (a *app) basketGo(c echo.Context) error {
	u, cookie, sv, err := a.cfg.Share.Click(c.Request().Context(), c.Param("id"))
	switch {
	case errors.Is(err, share.ErrNotFound):
		return userError(http.StatusNotFound, "There is no basket at this link. Check that it was copied whole.")
	case errors.Is(err, share.ErrNotPlaceable):
		var why []string
		for _, e := range sv.Result.Errors {
			why = append(why, e.Message)
		}
		return userError(http.StatusGone, "This basket can no longer be placed: %s.", strings.Join(why, "; "))
	case err != nil:
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	c.SetCookie(cookie)
	return c.Redirect(http.StatusFound, u)
}
