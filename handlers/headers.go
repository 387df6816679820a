package handlers

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// contentSecurityPolicy allows only this server's own scripts, styles and
// forms: no inline script or style anywhere (htmx is configured in the
// layout not to inject its indicator style), no framing, no <base>.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// hsts asks browsers to use https only, for two years, subdomains included.
const hsts = "max-age=63072000; includeSubDomains"

// secureHeaders sets the headers every answer carries. HSTS is sent when the
// public URL is https: TLS usually ends at a proxy in front, so the request
// itself does not tell (Echo's own HSTS looks at the request's scheme).
func (a *app) secureHeaders() echo.MiddlewareFunc {
	secure := middleware.SecureWithConfig(middleware.SecureConfig{
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		ContentSecurityPolicy: contentSecurityPolicy,
		ReferrerPolicy:        "no-referrer",
	})
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		next = secure(next)
		return func(c echo.Context) error {
			if a.cfg.SecureCookies {
				c.Response().Header().Set("Strict-Transport-Security", hsts)
			}
			return next(c)
		}
	}
}

// maxBody bounds every request body; routes that read one set their own,
// smaller limit (the API 64 KiB, the forms less).
const maxBody = "128K"

func bodyLimit() echo.MiddlewareFunc { return middleware.BodyLimit(maxBody) }
