package handlers

import (
	"github.com/labstack/echo/v4"

	"basketlink/i18n"
	"basketlink/share"
	"basketlink/templates"
)

// callback is GET /callback, the registered redirect_uri: share.Callback
// checks the state and exchanges the code (or finds the result this browser
// already got); this renders what happened, in the reader's language.
// The exchange and the outcome's record do not stop when the browser goes
// away (share.Callback runs them on a context of their own).
func (a *app) callback(c echo.Context) error {
	out := a.cfg.Share.Callback(c.Request().Context(), c.Request())
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store") // (Referrer-Policy: no-referrer is on every answer)
	for _, ck := range out.Cookies {
		c.SetCookie(ck)
	}
	words := resultWords[out.Reason]
	if words[0] == "" {
		words = resultWords[share.ReasonForged]
	}
	if a.cfg.Broker == BrokerSim && out.Reason == share.ReasonOK {
		// The simulator places nothing: never let its success read like a real one.
		words = [2]string{"result.ok.sim_body", ""}
	}
	v := templates.CallbackView{Status: out.Status, Kind: out.Kind, ReasonKey: words[0], NextKey: words[1], Detail: out.Detail}
	if !out.At.IsZero() {
		v.When = i18n.From(c.Request().Context()).Time(out.At)
	}
	if sv := out.Saved; sv != nil {
		// The fintech site the click came from, while its cookie lasts (an
		// hour, past a state's 15 minutes): the result leads back to it, and
		// the way back to the basket keeps it, so a second try does too.
		site := a.embedCookie(c, c.QueryParam("state"), sv.ID)
		v.Label, v.ReviewURL = sv.Label, reviewPath(sv.ID)+site.query()
		v.Tickets = templates.Tickets(sv.Result.Parsed)
		v.Embed = embedResult(out, site)
	}
	return a.render(c, out.Status, templates.CallbackPage(v))
}

// resultWords are the catalog keys of each reason: what happened, and what to do next.
var resultWords = map[string][2]string{
	share.ReasonOK:          {"result.ok.body", "result.check_book"},
	share.ReasonCancelled:   {"result.cancelled.body", "result.cancelled.next"},
	share.ReasonDenied:      {"result.denied.body", "result.cancelled.next"},
	share.ReasonRefused:     {"result.refused.body", "result.unsure"},
	share.ReasonTimeout:     {"result.timeout.body", "result.unsure"},
	share.ReasonUnreachable: {"result.error.unreachable", "result.unsure"},
	share.ReasonSeal:        {"result.error.seal", "result.check_book"},
	share.ReasonNoCode:      {"result.error.no_code", ""},
	share.ReasonLoad:        {"result.error.load", ""},
	share.ReasonClaim:       {"result.error.claim", ""},
	share.ReasonNoState:     {"result.bad.no_state", ""},
	share.ReasonExpired:     {"result.bad.expired", ""},
	share.ReasonUnbound:     {"result.bad.unbound", ""},
	share.ReasonForged:      {"result.bad.forged", ""},
	share.ReasonGone:        {"result.bad.gone", ""},
	share.ReasonUsed:        {"result.bad.used", ""},
}
