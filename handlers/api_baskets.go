package handlers

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"basketlink/share"
	"basketlink/store"
)

// basketCreated is the 201 answer of POST /api/v1/baskets.
type basketCreated struct {
	ID              string `json:"id"`
	ShortURL        string `json:"short_url"`
	ReviewURL       string `json:"review_url"`
	OrderConnectURL string `json:"order_connect_url"`
}

// basketJSON is the answer of GET /api/v1/baskets/{id}, and each item of the list.
type basketJSON struct {
	ID        string          `json:"id"`
	Label     string          `json:"label"`
	Legs      json.RawMessage `json:"legs"`
	CreatedAt time.Time       `json:"created_at"`
	Status    string          `json:"status"`
	ExpiresAt *time.Time      `json:"expires_at"`
	MaxUses   *int            `json:"max_uses"`
	Stats     statsJSON       `json:"stats"`
}

// statsJSON is what happened to a link.
type statsJSON struct {
	Views     int64 `json:"views"`
	Continues int64 `json:"continues"`
	Completed int64 `json:"completed"`
	Cancelled int64 `json:"cancelled"`
	Refused   int64 `json:"refused"`
	Timeout   int64 `json:"timeout"`
	Error     int64 `json:"error"`
}

func newBasketJSON(b store.Basket, status string, st store.Stats) basketJSON {
	j := basketJSON{ID: b.ID, Label: b.Label, Legs: json.RawMessage(b.Params), CreatedAt: b.CreatedAt.UTC(), Status: status,
		Stats: statsJSON{st.Views, st.Continues, st.Completed, st.Cancelled, st.Refused, st.Timeout, st.Error}}
	if !b.ExpiresAt.IsZero() {
		t := b.ExpiresAt.UTC()
		j.ExpiresAt = &t
	}
	if b.MaxUses > 0 {
		n := b.MaxUses
		j.MaxUses = &n
	}
	return j
}

// apiBasketCreate is POST /api/v1/baskets: body {"legs":[...], "label":"optional"};
// 201 with the links to share, 422 with the result when the basket is invalid,
// 400 for a body that is not that object, 413 over 64 KiB. Saved baskets never change.
func (a *app) apiBasketCreate(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	fields, err := decodeObject(body, `{"legs":[...], "label":"optional", "expires_at":"optional RFC 3339", "max_uses":optional}`,
		"legs", "label", "expires_at", "max_uses")
	if err != nil {
		return userError(http.StatusBadRequest, "%v", err)
	}
	legs, ok := fields["legs"]
	if !ok {
		return userError(http.StatusBadRequest, `the body needs "legs": a JSON array of legs`)
	}
	var label string
	if raw, ok := fields["label"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &label); err != nil {
			return userError(http.StatusBadRequest, `"label" must be a string`)
		}
	}
	life, err := a.apiLife(fields)
	if err != nil {
		return err
	}
	sv, res, err := a.cfg.Share.SaveLink(c.Request().Context(), label, legs, life)
	switch {
	case errors.Is(err, store.ErrInvalid):
		return userError(http.StatusUnprocessableEntity, "%s", inputProblem(err))
	case err != nil:
		return err
	case sv == nil:
		return writeJSON(c, http.StatusUnprocessableEntity, res)
	}
	// The URL the short link sends a browser to, with a state of its own; share
	// the short link: each click there gets a state bound to the clicking browser.
	st, _, err := a.cfg.Share.States.Issue(sv.ID)
	if err != nil {
		return err
	}
	oc := sv.OrderConnectURL(st)
	c.Response().Header().Set("Location", a.cfg.PublicURL+"/api/v1/baskets/"+sv.ID)
	return writeJSON(c, http.StatusCreated, basketCreated{
		ID:              sv.ID,
		ShortURL:        a.cfg.PublicURL + "/b/" + sv.ID + "/go",
		ReviewURL:       a.cfg.PublicURL + "/b/" + sv.ID,
		OrderConnectURL: oc,
	})
}

// apiBasketGet is GET /api/v1/baskets/{id}: the saved basket, its legs in
// canonical form, its link's status and what happened to it.
func (a *app) apiBasketGet(c echo.Context) error {
	sv, err := a.savedBasket(c)
	if err != nil {
		return err
	}
	return a.writeBasket(c, sv)
}

// writeBasket answers 200 with a saved basket, its status and stats.
func (a *app) writeBasket(c echo.Context, sv *share.Saved) error {
	st, err := a.cfg.Share.Stats(c.Request().Context(), sv.ID)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return writeJSON(c, http.StatusOK, newBasketJSON(sv.Basket, a.cfg.Share.Status(sv), st))
}

// inputProblem is what a store refusal (store.ErrInvalid) says, without the
// layers of context around it: "label has 300 characters; at most 200".
func inputProblem(err error) string {
	msg := err.Error()
	if _, after, ok := strings.Cut(msg, store.ErrInvalid.Error()+": "); ok {
		return after
	}
	return msg
}
