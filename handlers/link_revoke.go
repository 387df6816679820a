package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"basketlink/share"
)

// linkRevoke is POST /links/{id}/revoke, the owner page's off switch: only
// with its confirmation box ticked (no JavaScript needed), then back to the
// link's page (303). Without the box, the page again, saying why.
func (a *app) linkRevoke(c echo.Context) error {
	if err := parseForm(c, 4<<10); err != nil {
		return err
	}
	if c.Request().PostForm.Get("confirm") != "yes" {
		sv, err := a.savedBasket(c)
		if err != nil {
			return err
		}
		return a.renderLink(c, sv, "Tick the box to confirm: a link turned off stays off.")
	}
	sv, err := a.cfg.Share.Revoke(c.Request().Context(), c.Param("id"))
	if errors.Is(err, share.ErrNotFound) {
		return notFoundBasket()
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/links/"+sv.ID)
}
