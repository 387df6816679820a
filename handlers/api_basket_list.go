package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"basketlink/store"
)

// defaultPage is how many links a page lists when the request says nothing.
const defaultPage = 50

// basketList is the answer of GET /api/v1/baskets.
type basketList struct {
	Baskets    []basketJSON `json:"baskets"`
	NextCursor *string      `json:"next_cursor"`
}

// apiBasketList is GET /api/v1/baskets?limit=N&cursor=C: saved baskets,
// newest first, limit (1..100, default 50) at a time; next_cursor continues
// the walk, null at the end.
func (a *app) apiBasketList(c echo.Context) error {
	q, err := linkQuery(c.QueryParam("limit"), c.QueryParam("cursor"), "")
	if err != nil {
		return err
	}
	ls, next, err := a.cfg.Share.Links(c.Request().Context(), q)
	if err != nil {
		return err
	}
	out := basketList{Baskets: []basketJSON{}}
	if next != "" {
		out.NextCursor = &next
	}
	for _, l := range ls {
		out.Baskets = append(out.Baskets, newBasketJSON(l.Basket, l.Status, l.Stats))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return writeJSON(c, http.StatusOK, out)
}

// linkQuery reads a page request: a limit of 1..100 (default 50) and a cursor.
func linkQuery(limit, cursor, label string) (store.LinkQuery, error) {
	q := store.LinkQuery{Limit: defaultPage, Label: label}
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > store.MaxLinksPage {
			return q, userError(http.StatusUnprocessableEntity, "limit %q must be a whole number from 1 to %d", limit, store.MaxLinksPage)
		}
		q.Limit = n
	}
	cur, err := store.ParseCursor(cursor)
	if errors.Is(err, store.ErrInvalid) {
		return q, userError(http.StatusUnprocessableEntity, "cursor %q is not one this server gave out; start again without it", cursor)
	}
	q.After = cur
	return q, nil
}
