package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"

	"basketlink/obs"
)

// requestID gives each request its id (kept from X-Request-ID when sane, else
// made), in its answer and in the context, so every log line of it names it.
// (Echo's RequestID middleware would keep any value a client sends.)
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		id := obs.RequestID(r.Header.Get(obs.RequestIDHeader))
		c.Response().Header().Set(obs.RequestIDHeader, id)
		c.SetRequest(r.WithContext(obs.WithRequestID(r.Context(), id)))
		return next(c)
	}
}

// statusClientClosed is the status logged and counted for a request whose
// client hung up before its answer was written (nginx's 499): nothing was
// answered, and it is not the server's fault.
const statusClientClosed = 499

// logRequests writes one structured line per request and counts it. It logs
// the path, never the query: a query may carry a code or a state.
func (a *app) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		r, res := c.Request(), c.Response()
		status := res.Status
		switch {
		case err != nil && !res.Committed && errors.Is(r.Context().Err(), context.Canceled):
			// The client hung up: no one reads an answer, and the error
			// (context canceled, from whatever was waiting) is not a server error.
			status = statusClientClosed
		case err != nil:
			c.Error(err) // let the error handler write the answer, so the status below is real
			status = res.Status
		}
		took := time.Since(start)
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		ctx := r.Context()
		if a.log.Enabled(ctx, level) {
			attrs := []slog.Attr{
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", status),
				slog.Int64("bytes", res.Size),
				slog.Duration("duration", took),
				slog.String("client", c.RealIP()),
			}
			if status == statusClientClosed {
				attrs = append(attrs, slog.String("note", "client closed request"))
			}
			a.log.LogAttrs(ctx, level, "request", attrs...)
		}
		if a.cfg.Metrics != nil {
			a.cfg.Metrics.Request(routeOf(c, err), status, took)
		}
		return nil
	}
}

// routeOf is the pattern of the route that answered (/b/:id), never the raw
// path, so ids and probes do not multiply the metric series. A request no
// route took (Echo's own 404 or 405) is "unmatched".
func routeOf(c echo.Context, err error) string {
	if p := c.Path(); p != "" && err != echo.ErrNotFound && err != echo.ErrMethodNotAllowed { // Echo's own sentinels, by identity
		return p
	}
	return "unmatched"
}

// recoverPanics turns a panic into a logged 500: no panic reaches a user.
func (a *app) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				a.log.ErrorContext(c.Request().Context(), "panic", "path", c.Request().URL.Path, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = fmt.Errorf("panic serving %s: %v", c.Request().URL.Path, r)
			}
		}()
		return next(c)
	}
}
