package handlers

import (
	"github.com/labstack/echo/v4"

	"basketlink/i18n"
	"basketlink/share"
	"basketlink/store"
)

// inactive is the 410 of a link that is not active, saying why in the
// reader's language: turned off by its owner, used up, expired on a date
// (in IST), or a contract in it expired.
func (a *app) inactive(c echo.Context, sv *share.Saved, status string) error {
	switch status {
	case store.LinkRevoked:
		return gone("problem.410.revoked", nil)
	case store.LinkUsedUp:
		return gone("problem.410.used_up", nil)
	case store.LinkExpired:
		a.preparePublic(c) // the page's language, for the date (the short link has none yet)
		return gone("problem.410.link_expired", []string{i18n.From(c.Request().Context()).Time(sv.ExpiresAt)})
	}
	return notPlaceable(c, sv)
}
