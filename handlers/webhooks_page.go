package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"basketlink/i18n"
	"basketlink/store"
	"basketlink/templates"
)

// maxWebhookForm bounds the add form.
const maxWebhookForm = 4 << 10

// recentDeliveries is how many attempts the page shows per endpoint.
const recentDeliveries = 10

// webhooksShow is GET /webhooks: the endpoints and their latest deliveries.
func (a *app) webhooksShow(c echo.Context) error {
	v, err := a.webhooksView(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return a.render(c, http.StatusOK, templates.WebhooksPage(v))
}

// webhooksAdd is POST /webhooks (form field url): the page again, with the
// new endpoint's secret shown once, or the reason the URL was refused (422).
func (a *app) webhooksAdd(c echo.Context) error {
	if err := parseForm(c, maxWebhookForm); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u := c.Request().PostForm.Get("url")
	w, sec, err := a.cfg.Webhooks.Create(ctx, u)
	status := http.StatusOK
	var refused string
	switch {
	case errors.Is(err, store.ErrInvalid):
		status, refused = http.StatusUnprocessableEntity, inputProblem(err)
	case err != nil:
		return err
	}
	v, err := a.webhooksView(ctx)
	if err != nil {
		return err
	}
	if refused != "" {
		v.Error, v.URL = refused, u
	} else {
		v.Created = &templates.WebhookRow{ID: w.ID, URL: w.URL}
		v.Secret = sec
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return a.render(c, status, templates.WebhooksPage(v))
}

// webhooksDelete is POST /webhooks/{id}/delete: 303 back to the list.
func (a *app) webhooksDelete(c echo.Context) error {
	err := a.cfg.Webhooks.Delete(c.Request().Context(), c.Param("id"))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/webhooks")
}

func (a *app) webhooksView(ctx context.Context) (templates.Webhooks, error) {
	ws, err := a.cfg.Webhooks.List(ctx)
	if err != nil {
		return templates.Webhooks{}, err
	}
	var v templates.Webhooks
	for _, w := range ws {
		atts, err := a.cfg.Webhooks.Attempts(ctx, w.ID, recentDeliveries)
		if err != nil {
			return templates.Webhooks{}, err
		}
		v.Endpoints = append(v.Endpoints, templates.WebhookRow{ID: w.ID, URL: w.URL, Created: i18n.Time(w.CreatedAt), Attempts: atts})
	}
	return v, nil
}
