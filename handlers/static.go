package handlers

import (
	"github.com/labstack/echo/v4"

	"basketlink/static"
)

// asset answers /static/{name}: a content-hashed name (app.3f2a1c9e.css)
// cached for a year, a plain one (app.css) with an ETag and a short cache,
// gzip when the client takes it. An unknown name is the usual 404 page.
func (a *app) asset(c echo.Context) error {
	assets := static.App()
	if !assets.Has(c.Param("*")) {
		return echo.ErrNotFound
	}
	assets.ServeHTTP(c.Response(), c.Request())
	return nil
}
