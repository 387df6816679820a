package handlers

import (
	"github.com/labstack/echo/v4"

	"basketlink/static"
)

// embedJS is GET /embed.js: the script a fintech page loads to turn its
// basket links into buttons that report their result. Public, at a name
// that never changes, so it is served as a plain-named asset: an ETag, a
// short cache, gzip when the client takes it.
func (a *app) embedJS(c echo.Context) error {
	static.App().ServeHTTP(c.Response(), c.Request())
	return nil
}
