package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"basketlink/static"
)

// routes lists every route of the app.
func (a *app) routes(e *echo.Echo) {
	e.HTTPErrorHandler = a.handleError
	e.Use(a.logRequests, a.recoverPanics, secureHeaders)

	// Public.
	e.GET("/livez", a.livez)
	e.GET("/readyz", a.readyz)
	e.StaticFS("/static", static.FS)

	// Creator routes: the builder, the inspector and the API. Issue 5 guards this group.
	creator := e.Group("")
	creator.GET("/", a.builderShow)
	creator.POST("/", a.builderPost)
	creator.GET("/inspect", a.inspect)
	creator.POST("/api/v1/validate", a.apiValidate)
	creator.POST("/api/v1/links", a.apiLinks)

	// The built-in Tradejini simulator, when no real client is configured.
	if a.cfg.Sim != nil {
		e.Any("/sim/v2/*", echo.WrapHandler(http.StripPrefix("/sim/v2", a.cfg.Sim)))
	}
}
