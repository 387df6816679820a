package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"basketlink/qrcode"
)

// qrCache lets browsers and chat apps keep a QR code: it encodes the review
// link, which never changes.
const qrCache = "public, max-age=86400"

// basketQRSVG is GET /b/{id}/qr.svg: a QR code of the basket's review link.
func (a *app) basketQRSVG(c echo.Context) error {
	code, err := a.basketQR(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", qrCache)
	return c.Blob(http.StatusOK, "image/svg+xml", code.SVG())
}

// basketQRPNG is GET /b/{id}/qr.png: the same code as a PNG, for chat apps
// and print.
func (a *app) basketQRPNG(c echo.Context) error {
	code, err := a.basketQR(c)
	if err != nil {
		return err
	}
	b, err := code.PNG(8)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", qrCache)
	return c.Blob(http.StatusOK, "image/png", b)
}

func (a *app) basketQR(c echo.Context) (qrcode.Code, error) {
	sv, err := a.savedBasket(c)
	if err != nil {
		return qrcode.Code{}, err
	}
	return qrcode.Encode(a.cfg.PublicURL + reviewPath(sv.ID))
}
