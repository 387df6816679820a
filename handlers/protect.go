package handlers

import (
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// refuseCrossOrigin rejects state-changing requests that a browser sends from
// another site (CSRF): net/http's CrossOriginProtection reads Sec-Fetch-Site,
// or compares Origin with Host. Requests without those headers (curl, servers)
// pass, and so do GET, HEAD and OPTIONS.
func refuseCrossOrigin() echo.MiddlewareFunc {
	cop := http.NewCrossOriginProtection()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				return userError(http.StatusForbidden, "This form was sent from another site, so it was refused. Use basketlink's own pages.")
			}
			return next(c)
		}
	}
}

// checkHost guards a server with no admin token against DNS rebinding: with
// nothing else between a page and the creator routes, only requests addressed
// to this machine (a loopback address, localhost) or to the public URL's host
// are answered. (Echo wraps every request's handler in the middleware anew:
// nothing is worked out here but in the returned function.)
func (a *app) checkHost(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if a.cfg.AdminToken != "" {
			return next(c)
		}
		host := c.Request().Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.ToLower(strings.Trim(host, "[]"))
		ip := net.ParseIP(host)
		if host == "localhost" || (ip != nil && ip.IsLoopback()) || (a.publicHost != "" && host == a.publicHost) {
			return next(c)
		}
		return userError(http.StatusMisdirectedRequest, "This server answers only for its own address; set BASKETLINK_PUBLIC_URL to the name it is reached by.")
	}
}
