package handlers

import (
	"github.com/labstack/echo/v4"

	"basketlink/basket"
	"basketlink/templates"
)

// callback is GET /callback, the registered redirect_uri: share.Callback
// checks the state and exchanges the code; this renders what happened. The
// exchange and the outcome's record do not stop when the browser goes away
// (share.Callback runs them on a context of their own).
func (a *app) callback(c echo.Context) error {
	out := a.cfg.Share.Callback(c.Request().Context(), c.Request())
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	if out.Cookie != nil {
		c.SetCookie(out.Cookie)
	}
	v := templates.CallbackView{Status: out.Status, Kind: out.Kind, Message: out.Message, TokenTail: out.TokenTail}
	if sv := out.Saved; sv != nil {
		v.Label, v.Legs, v.ReviewURL = sv.Label, len(sv.Result.Items), "/b/"+sv.ID
		v.Columns, v.Items = basket.Columns(sv.Result.Items), sv.Result.Items
	}
	return a.render(c, out.Status, templates.CallbackPage(v))
}
