package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// livez answers 200 while the process runs; it touches nothing.
func (a *app) livez(c echo.Context) error {
	return c.String(http.StatusOK, "ok")
}

// readyz answers 200 when the database answers, else 503.
func (a *app) readyz(c echo.Context) error {
	if a.cfg.Ready == nil {
		return c.String(http.StatusOK, "ok")
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := a.cfg.Ready.Ping(ctx); err != nil {
		a.log.WarnContext(ctx, "not ready", "err", err)
		return c.String(http.StatusServiceUnavailable, "not ready")
	}
	return c.String(http.StatusOK, "ok")
}
