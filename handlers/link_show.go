package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"basketlink/i18n"
	"basketlink/share"
	"basketlink/store"
	"basketlink/templates"
)

// linkShow is GET /links/{id}: one link as its owner sees it.
func (a *app) linkShow(c echo.Context) error {
	sv, err := a.savedBasket(c)
	if err != nil {
		return err
	}
	return a.renderLink(c, sv, "")
}

func (a *app) renderLink(c echo.Context, sv *share.Saved, confirmError string) error {
	ctx := c.Request().Context()
	st, err := a.cfg.Share.Stats(ctx, sv.ID)
	if err != nil {
		return err
	}
	os, err := a.cfg.Share.Outcomes(ctx, sv.ID)
	if err != nil {
		return err
	}
	status := a.cfg.Share.Status(sv)
	v := templates.LinkPage{
		ID: sv.ID, Label: sv.Label, Created: i18n.Time(sv.CreatedAt), Status: status, MaxUses: sv.MaxUses,
		ShortURL: a.cfg.PublicURL + reviewPath(sv.ID) + "/go", ReviewURL: a.cfg.PublicURL + reviewPath(sv.ID),
		Tickets: templates.Tickets(sv.Result.Parsed),
		Views:   st.Views, Continues: st.Continues, Completed: st.Completed, Cancelled: st.Cancelled,
		Refused: st.Refused, Timeout: st.Timeout, Error: st.Error,
		Active: sv.RevokedAt.IsZero(), ConfirmError: confirmError,
	}
	if !sv.ExpiresAt.IsZero() {
		v.Expires = i18n.Time(sv.ExpiresAt)
	}
	for _, o := range os {
		v.Outcomes = append(v.Outcomes, templates.OutcomeRow{When: i18n.Time(o.CreatedAt), Status: outcomeWord(o.Status), Message: o.Message})
	}
	if a.cfg.Webhooks != nil {
		if v.Deliveries, err = a.cfg.Webhooks.BasketAttempts(ctx, sv.ID, 50); err != nil {
			return err
		}
		v.Webhooks = true
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	code := http.StatusOK
	if confirmError != "" {
		code = http.StatusUnprocessableEntity
	}
	return a.render(c, code, templates.LinkDetail(v))
}

// outcomeWord is an outcome status as the owner's page says it.
func outcomeWord(s string) string {
	if s == store.StatusOK {
		return "completed"
	}
	return s
}
