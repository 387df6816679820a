package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// favicon is GET /favicon.ico, which browsers ask for on every site: an empty
// answer they may keep for a day, instead of a 404 in every console.
func (a *app) favicon(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.NoContent(http.StatusNoContent)
}
