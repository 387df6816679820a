package handlers

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"basketlink/store"
)

// webhookJSON is an endpoint in the API; the secret only in the 201 answer.
type webhookJSON struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Secret    string    `json:"secret,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// deliveryJSON is one delivery attempt.
type deliveryJSON struct {
	EventID    string    `json:"event_id"`
	Type       string    `json:"type"`
	Attempt    int       `json:"attempt"`
	HTTPStatus *int      `json:"http_status"`
	Error      string    `json:"error,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// apiWebhookCreate is POST /api/v1/webhooks {"url"}: 201 {"id","url","secret"}.
func (a *app) apiWebhookCreate(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	fields, err := decodeObject(body, `{"url":"https://..."}`, "url")
	if err != nil {
		return userError(http.StatusBadRequest, "%v", err)
	}
	var u string
	if raw, ok := fields["url"]; !ok || json.Unmarshal(raw, &u) != nil {
		return userError(http.StatusBadRequest, `the body needs "url": a string, the https URL events are posted to`)
	}
	w, sec, err := a.cfg.Webhooks.Create(c.Request().Context(), u)
	if errors.Is(err, store.ErrInvalid) {
		return userError(http.StatusUnprocessableEntity, "%s", inputProblem(err))
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", a.cfg.PublicURL+"/api/v1/webhooks/"+w.ID)
	return writeJSON(c, http.StatusCreated, webhookJSON{ID: w.ID, URL: w.URL, Secret: sec, CreatedAt: w.CreatedAt})
}

// apiWebhookList is GET /api/v1/webhooks: {"webhooks":[{"id","url","created_at"}]}, no secrets.
func (a *app) apiWebhookList(c echo.Context) error {
	ws, err := a.cfg.Webhooks.List(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]webhookJSON, 0, len(ws))
	for _, w := range ws {
		out = append(out, webhookJSON{ID: w.ID, URL: w.URL, CreatedAt: w.CreatedAt})
	}
	return writeJSON(c, http.StatusOK, map[string]any{"webhooks": out})
}

// apiWebhookDelete is DELETE /api/v1/webhooks/{id}: 204; 404 for an unknown id.
func (a *app) apiWebhookDelete(c echo.Context) error {
	err := a.cfg.Webhooks.Delete(c.Request().Context(), c.Param("id"))
	if errors.Is(err, store.ErrNotFound) {
		return userError(http.StatusNotFound, "no webhook endpoint %q", c.Param("id"))
	}
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// apiWebhookDeliveries is GET /api/v1/webhooks/{id}/deliveries[?limit=N]: attempts newest first.
func (a *app) apiWebhookDeliveries(c echo.Context) error {
	limit := 100
	if s := c.QueryParam("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return userError(http.StatusBadRequest, "limit must be a whole number from 1 to 1000, not %q", s)
		}
		limit = n
	}
	atts, err := a.cfg.Webhooks.Attempts(c.Request().Context(), c.Param("id"), limit)
	if errors.Is(err, store.ErrNotFound) {
		return userError(http.StatusNotFound, "no webhook endpoint %q", c.Param("id"))
	}
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, map[string]any{"deliveries": deliveriesJSON(atts)})
}

func deliveriesJSON(atts []store.WebhookAttempt) []deliveryJSON {
	out := make([]deliveryJSON, 0, len(atts))
	for _, at := range atts {
		d := deliveryJSON{EventID: at.EventID, Type: at.Type, Attempt: at.Attempt, Error: at.Error, CreatedAt: at.CreatedAt}
		if at.HTTPStatus != 0 {
			s := at.HTTPStatus
			d.HTTPStatus = &s
		}
		out = append(out, d)
	}
	return out
}
