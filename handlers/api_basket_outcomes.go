package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// outcomeJSON is one outcome of GET /api/v1/baskets/{id}/outcomes.
type outcomeJSON struct {
	ID            int64     `json:"id"`
	Status        string    `json:"status"`
	BrokerStatus  int       `json:"broker_status"`
	BrokerMessage string    `json:"broker_message"`
	CreatedAt     time.Time `json:"created_at"`
}

// apiBasketOutcomes is GET /api/v1/baskets/{id}/outcomes: what happened at
// each callback of the link, newest first.
func (a *app) apiBasketOutcomes(c echo.Context) error {
	sv, err := a.savedBasket(c)
	if err != nil {
		return err
	}
	os, err := a.cfg.Share.Outcomes(c.Request().Context(), sv.ID)
	if err != nil {
		return err
	}
	out := struct {
		Outcomes []outcomeJSON `json:"outcomes"`
	}{Outcomes: []outcomeJSON{}}
	for _, o := range os {
		out.Outcomes = append(out.Outcomes, outcomeJSON{ID: o.ID, Status: o.Status, BrokerStatus: o.HTTPStatus,
			BrokerMessage: o.Message, CreatedAt: o.CreatedAt.UTC()})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return writeJSON(c, http.StatusOK, out)
}
