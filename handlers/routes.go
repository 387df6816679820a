package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// routes lists every route of the app.
func (a *app) routes(e *echo.Echo) {
	e.HTTPErrorHandler = a.handleError
	e.Use(requestID, a.logRequests, a.recoverPanics, a.secureHeaders(), bodyLimit(), a.checkHost, refuseCrossOrigin())

	// Public.
	// The public pages answer HEAD as GET, without a body (link checkers,
	// uptime monitors and some preview fetchers ask so); a HEAD is never
	// counted as a view or a continue. The callback, which exchanges a
	// code, answers GET only.
	getHead := func(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		e.GET(path, h, m...)
		e.HEAD(path, h, m...)
	}
	getHead("/livez", a.livez)
	getHead("/readyz", a.readyz)
	getHead("/static/*", a.asset)
	getHead("/favicon.ico", a.favicon)
	getHead("/embed.js", a.embedJS)

	// Public: a saved basket's review page, its short link, and the callback.
	if a.cfg.Share != nil {
		getHead("/b/:id", a.basketReview, a.publicPage)
		// The short link answers a redirect, no page: it skips publicPage (its
		// error pages still get their language from handleError).
		getHead("/b/:id/go", a.basketGo)
		getHead("/b/:id/qr.svg", a.basketQRSVG, a.publicPage)
		getHead("/b/:id/qr.png", a.basketQRPNG, a.publicPage)
		e.GET("/callback", a.callback, a.publicPage)
	}
	e.GET("/login", a.loginShow)
	e.POST("/login", a.loginPost)
	e.POST("/logout", a.logout)

	// Creator routes: the builder, the inspector and the API, behind the admin
	// token when one is set.
	// (The guard is per route: on a group it would also catch every unknown path.)
	guard := a.guardCreator
	e.GET("/", a.builderShow, guard)
	e.POST("/", a.builderPost, guard)
	e.GET("/inspect", a.inspect, guard)
	e.POST("/api/v1/validate", a.apiValidate, guard)
	e.POST("/api/v1/links", a.apiLinks, guard)
	e.GET("/api/v1/presets", a.apiPresets, guard)
	e.POST("/api/v1/presets/:name", a.apiPresetBuild, guard)
	if a.cfg.Share != nil {
		e.POST("/save", a.builderSave, guard)
		e.POST("/api/v1/baskets", a.apiBasketCreate, guard)
		e.GET("/api/v1/baskets", a.apiBasketList, guard)
		e.GET("/api/v1/baskets/:id", a.apiBasketGet, guard)
		e.GET("/api/v1/baskets/:id/outcomes", a.apiBasketOutcomes, guard)
		e.POST("/api/v1/baskets/:id/revoke", a.apiBasketRevoke, guard)
		e.POST("/api/v1/outcomes/:id/token", a.apiTokenPickup, guard)
		e.GET("/links", a.linksList, guard)
		e.GET("/links/:id", a.linkShow, guard)
		e.POST("/links/:id/revoke", a.linkRevoke, guard)
	}
	if a.cfg.Webhooks != nil {
		e.POST("/api/v1/webhooks", a.apiWebhookCreate, guard)
		e.GET("/api/v1/webhooks", a.apiWebhookList, guard)
		e.DELETE("/api/v1/webhooks/:id", a.apiWebhookDelete, guard)
		e.GET("/api/v1/webhooks/:id/deliveries", a.apiWebhookDeliveries, guard)
		e.GET("/webhooks", a.webhooksShow, guard)
		e.POST("/webhooks", a.webhooksAdd, guard)
		e.POST("/webhooks/:id/delete", a.webhooksDelete, guard)
	}

	// The built-in Tradejini simulator, when no real client is configured.
	if a.cfg.Sim != nil {
		e.Any("/sim/v2/*", echo.WrapHandler(http.StripPrefix("/sim/v2", a.cfg.Sim)))
	}
}
