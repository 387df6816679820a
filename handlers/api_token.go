package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"basketlink/share"
)

// apiTokenPickup is POST /api/v1/outcomes/{id}/token: a completed outcome's
// access token, exactly once (then 410). 404 when token pickup is off.
func (a *app) apiTokenPickup(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return userError(http.StatusNotFound, "no outcome %q: outcome ids are whole numbers from 1", c.Param("id"))
	}
	tok, expires, err := a.cfg.Share.PickUpToken(c.Request().Context(), id)
	switch {
	case errors.Is(err, share.ErrPickupOff):
		return userError(http.StatusNotFound, "token pickup is off on this server: no access token is kept (start it with --token-pickup)")
	case errors.Is(err, share.ErrNoOutcome):
		return userError(http.StatusNotFound, "no outcome %d", id)
	case errors.Is(err, share.ErrTokenGone):
		return userError(http.StatusGone, "outcome %d has no token to pick up: it was picked up already, it expired, or the outcome did not complete", id)
	case err != nil:
		return err
	}
	return writeJSON(c, http.StatusOK, struct {
		AccessToken string    `json:"access_token"`
		ExpiresAt   time.Time `json:"expires_at"`
	}{tok, expires.UTC()})
}
