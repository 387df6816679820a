package handlers

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"basketlink/basket"
	"basketlink/share"
	"basketlink/templates"
)

// basketReview is GET /b/{id}: the public review page of a saved basket.
func (a *app) basketReview(c echo.Context) error {
	sv, err := a.savedBasket(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	v := templates.Review{
		ID: sv.ID, Label: sv.Label,
		Columns: basket.Columns(sv.Result.Items), Items: sv.Result.Items,
		Valid: sv.Result.Valid, GoURL: "/b/" + sv.ID + "/go",
		Created: sv.CreatedAt.UTC().Format(time.RFC1123),
	}
	for _, e := range sv.Result.Errors {
		v.Problems = append(v.Problems, e.Message)
	}
	return a.render(c, http.StatusOK, templates.ReviewPage(v))
}

// savedBasket loads the basket named by the :id path parameter: 404 when there is none.
func (a *app) savedBasket(c echo.Context) (*share.Saved, error) {
	sv, err := a.cfg.Share.Basket(c.Request().Context(), c.Param("id"))
	if errors.Is(err, share.ErrNotFound) {
		return nil, userError(http.StatusNotFound, "There is no basket at this link. Check that it was copied whole.")
	}
	if err != nil {
		return nil, err
	}
	return sv, nil
}
