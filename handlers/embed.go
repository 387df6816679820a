package handlers

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"basketlink/share"
	"basketlink/state"
	"basketlink/store"
	"basketlink/templates"
)

// An embedding site comes back two ways: a popup's opener (?origin=) gets a
// message, a full-page visit (?return_to=) a link back. Both are taken only
// for an origin in --embed-origins, and travel from the click to the
// callback in a signed cookie of their own, never in the callback's query.

// embedCookieLife matches how long a click's state lives, with margin.
const embedCookieLife = 60 * 60

// embedTarget is where a result may go back to.
type embedTarget struct {
	Origin   string `json:"o,omitempty"` // the opener's origin, for postMessage
	ReturnTo string `json:"r,omitempty"` // the page to send the browser back to
}

func (t embedTarget) empty() bool { return t.Origin == "" && t.ReturnTo == "" }

// query is the target as the review page passes it to /go.
func (t embedTarget) query() string {
	q := url.Values{}
	if t.Origin != "" {
		q.Set("origin", t.Origin)
	}
	if t.ReturnTo != "" {
		q.Set("return_to", t.ReturnTo)
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// embedTargetOf reads ?origin= and ?return_to=, keeping only allowed ones.
func (a *app) embedTargetOf(q url.Values) embedTarget {
	var t embedTarget
	if o := q.Get("origin"); a.allowedOrigin(o) {
		t.Origin = o
	}
	if r := q.Get("return_to"); r != "" && len(r) <= 2000 {
		if u, err := url.Parse(r); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.User == nil &&
			a.allowedOrigin(u.Scheme+"://"+u.Host) {
			u.Fragment = ""
			t.ReturnTo = u.String()
		}
	}
	return t
}

func (a *app) allowedOrigin(o string) bool {
	return o != "" && slices.Contains(a.cfg.EmbedOrigins, strings.ToLower(o))
}

// embedCookieName is the name of the cookie that remembers where a click
// came from, after the name of the click's state cookie: like that cookie,
// one per click, so a click without a target needs none (nothing an earlier
// click left can be taken for its own), and two tabs clicking one link, one
// from a fintech site and one not, each come back to where they began.
func (a *app) embedCookieName(stateCookie string) string {
	name := "bl_embed_" + strings.TrimPrefix(strings.TrimPrefix(stateCookie, state.SecurePrefix), state.CookiePrefix)
	if a.cfg.SecureCookies {
		name = "__Secure-" + name
	}
	return name
}

// embedMessage is what the cookie's MAC covers: its value, for this basket.
func embedMessage(basketID string, payload []byte) []byte {
	return []byte("basketlink embed\x00" + basketID + "\x00" + string(payload))
}

// setEmbedCookie remembers the target of the click whose state cookie is
// stateCookie, if it has one, for its callback.
func (a *app) setEmbedCookie(c echo.Context, stateCookie, basketID string, t embedTarget) {
	if t.empty() {
		return
	}
	payload, err := json.Marshal(t)
	if err != nil {
		return
	}
	enc := base64.RawURLEncoding
	c.SetCookie(&http.Cookie{
		Name:     a.embedCookieName(stateCookie),
		Value:    enc.EncodeToString(payload) + "." + enc.EncodeToString(a.cfg.Key.MAC(embedMessage(basketID, payload))),
		Path:     share.CallbackPath,
		MaxAge:   embedCookieLife,
		HttpOnly: true,
		Secure:   a.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	})
}

// embedCookie is the target the click that made state on basketID
// remembered, checked again against today's allowed origins.
func (a *app) embedCookie(c echo.Context, st, basketID string) embedTarget {
	ck, err := c.Cookie(a.embedCookieName(state.CookieName(st)))
	if err != nil { // or a click made on an older basketlink (see state.LegacyCookieName)
		if ck, err = c.Cookie(a.embedCookieName(state.LegacyCookieName(st))); err != nil {
			return embedTarget{}
		}
	}
	p, m, ok := strings.Cut(ck.Value, ".")
	enc := base64.RawURLEncoding
	payload, err1 := enc.DecodeString(p)
	mac, err2 := enc.DecodeString(m)
	if !ok || err1 != nil || err2 != nil || !a.cfg.Key.VerifyMAC(embedMessage(basketID, payload), mac) {
		return embedTarget{}
	}
	var t embedTarget
	if json.Unmarshal(payload, &t) != nil {
		return embedTarget{}
	}
	return a.embedTargetOf(url.Values{"origin": {t.Origin}, "return_to": {t.ReturnTo}})
}

// resultStatus3 is the word an embedding site gets for an outcome:
// completed, cancelled or failed.
func resultStatus3(kind string) string {
	switch kind {
	case store.StatusOK:
		return "completed"
	case store.StatusCancelled:
		return "cancelled"
	}
	return "failed"
}

// embedResult is what the result page tells t, the embedding site, nil when
// nothing: no target, or no outcome recorded.
func embedResult(out share.Outcome, t embedTarget) *templates.EmbedResult {
	if out.Saved == nil || out.ID == 0 || t.empty() {
		return nil
	}
	e := &templates.EmbedResult{Origin: t.Origin, Basket: out.Saved.ID, Status: resultStatus3(out.Kind), Outcome: out.ID}
	if t.ReturnTo != "" {
		u, _ := url.Parse(t.ReturnTo)
		q := u.Query()
		q.Set("basketlink_status", e.Status)
		q.Set("basketlink_basket", e.Basket)
		u.RawQuery = q.Encode()
		e.BackURL, e.Site = u.String(), u.Host
	}
	return e
}
