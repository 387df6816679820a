package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"basketlink/static"
)

// embedJS is GET /embed.js: the script a fintech page loads to turn its
// basket links into buttons that report their result. Public and cacheable.
func (a *app) embedJS(c echo.Context) error {
	b, err := static.FS.ReadFile("embed.js")
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("Access-Control-Allow-Origin", "*")
	return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", b)
}
