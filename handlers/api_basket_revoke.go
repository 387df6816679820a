package handlers

import (
	"errors"

	"github.com/labstack/echo/v4"

	"basketlink/share"
)

// apiBasketRevoke is POST /api/v1/baskets/{id}/revoke: the link is turned off
// for good; 200 with the basket, again 200 when it was already off.
func (a *app) apiBasketRevoke(c echo.Context) error {
	sv, err := a.cfg.Share.Revoke(c.Request().Context(), c.Param("id"))
	if errors.Is(err, share.ErrNotFound) {
		return notFoundBasket()
	}
	if err != nil {
		return err
	}
	return a.writeBasket(c, sv)
}
