package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"basketlink/basket"
	"basketlink/templates"
)

// handleError answers every error a handler returns: JSON for /api/*, a page otherwise.
// Anything that is not an *echo.HTTPError is our fault: a logged, plain 500.
func (a *app) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, "something went wrong on our side; it has been logged"
	var he *echo.HTTPError
	var pe *pageError
	if errors.As(err, &pe) {
		status, msg = pe.view.Status, pe.Error()
	} else if errors.As(err, &he) {
		status = he.Code
		if status < 500 {
			msg = fmt.Sprint(he.Message)
		}
		if he.Internal != nil {
			err = he.Internal
		}
	}
	if status >= 500 {
		a.log.ErrorContext(c.Request().Context(), "server error", "path", c.Request().URL.Path, "status", status, "err", err)
	}
	path := c.Request().URL.Path
	if path == "/api" || strings.HasPrefix(path, "/api/") {
		switch {
		case pe != nil && status == http.StatusNotFound:
			msg = "there is no basket with that id"
		case status == http.StatusNotFound && (he == nil || fmt.Sprint(he.Message) == http.StatusText(status)):
			msg = "there is no API route " + c.Request().Method + " " + path
		}
		_ = writeJSON(c, status, basket.Result{Errors: []basket.Error{{Message: msg}}})
		return
	}
	switch {
	case pe != nil:
		a.preparePublic(c)
		_ = a.render(c, pe.view.Status, templates.PublicProblem(pe.view))
	case !creatorPaths[path]:
		a.preparePublic(c)
		_ = a.render(c, status, templates.PublicProblem(publicProblem(status, msg)))
	default:
		title := http.StatusText(status)
		if status == http.StatusMethodNotAllowed {
			msg = "This page does not answer " + c.Request().Method + "."
		}
		_ = a.render(c, status, templates.Problem(status, title, msg))
	}
}

// render writes a page; it renders to a buffer first so a failure never leaves half a page.
func (a *app) render(c echo.Context, status int, page templ.Component) error {
	return a.renderIn(c, c.Request().Context(), status, page)
}

// renderIn is render with ctx, the request's context with what else the page
// reads from it (the review page's preview card).
func (a *app) renderIn(c echo.Context, ctx context.Context, status int, page templ.Component) error {
	buf := pages.Get().(*bytes.Buffer)
	defer putPage(buf)
	buf.Reset()
	if a.cfg.Broker == BrokerSim {
		ctx = templates.WithSimulatedBroker(ctx)
	}
	if err := page.Render(ctx, buf); err != nil {
		return fmt.Errorf("render %s: %w", c.Request().URL.Path, err)
	}
	// One write of a known length: no chunked encoding, one packet train.
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	h.Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	c.Response().WriteHeader(status)
	_, err := c.Response().Write(buf.Bytes())
	return err
}

// pages are the buffers pages are rendered into, used again and again so a
// page does not grow a new one each time.
var pages = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledPage bounds the buffers kept: a rare huge page (an inspector
// with many legs) is left to the garbage collector.
const maxPooledPage = 256 << 10

func putPage(b *bytes.Buffer) {
	if b.Cap() <= maxPooledPage {
		pages.Put(b)
	}
}

// userError is a 4xx for a user's mistake, with a message that says where and why.
func userError(status int, format string, args ...any) error {
	return echo.NewHTTPError(status, fmt.Sprintf(format, args...))
}
