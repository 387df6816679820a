package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// routes lists every route of the app.
func (a *app) routes(e *echo.Echo) {
	e.GET("/livez", a.livez)
	e.GET("/readyz", a.readyz)
	if a.cfg.Sim != nil {
		e.Any("/sim/v2/*", echo.WrapHandler(http.StripPrefix("/sim/v2", a.cfg.Sim)))
	}
}
