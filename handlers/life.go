package handlers

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"basketlink/basket"
	"basketlink/store"
)

// apiLife reads "expires_at" and "max_uses" of a create body: both optional,
// a 422 that says which and why when they are not a future RFC 3339 time
// and a whole number of at least 1.
func (a *app) apiLife(fields map[string]json.RawMessage) (store.Life, error) {
	var life store.Life
	if raw, ok := fields["expires_at"]; ok && string(raw) != "null" {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return life, userError(http.StatusUnprocessableEntity, `"expires_at" must be a string: a time in RFC 3339, such as "2026-12-31T15:30:00+05:30"`)
		}
		t, err := a.parseExpiry(s)
		if err != nil {
			return life, err
		}
		life.ExpiresAt = t
	}
	if raw, ok := fields["max_uses"]; ok && string(raw) != "null" {
		n, err := parseMaxUses(strings.TrimSpace(string(raw)), `"max_uses"`)
		if err != nil {
			return life, err
		}
		life.MaxUses = n
	}
	return life, nil
}

// parseExpiry reads an RFC 3339 time that must be in the future.
func (a *app) parseExpiry(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, userError(http.StatusUnprocessableEntity, `"expires_at" %q is not a time in RFC 3339, such as "2026-12-31T15:30:00+05:30"`, s)
	}
	if !t.After(a.now()) {
		return time.Time{}, userError(http.StatusUnprocessableEntity, `"expires_at" %s is not in the future`, s)
	}
	return t, nil
}

// maxMaxUses bounds max_uses to what every database's INTEGER holds.
const maxMaxUses = 1_000_000_000

// parseMaxUses reads a whole number of at least 1.
func parseMaxUses(s, name string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxMaxUses {
		return 0, userError(http.StatusUnprocessableEntity, "%s must be a whole number from 1 to %d (how many completed uses the link allows); got %s", name, maxMaxUses, s)
	}
	return n, nil
}

// formLife reads the builder's optional expires_at (a datetime-local in IST)
// and max_uses; problem says what is wrong, "" when nothing is.
func (a *app) formLife(expires, maxUses string) (life store.Life, problem string) {
	if s := strings.TrimSpace(expires); s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, basket.IST)
		if err != nil {
			t, err = time.ParseInLocation("2006-01-02T15:04:05", s, basket.IST)
		}
		if err != nil {
			return life, "not saved: \"Stops working at\" " + strconv.Quote(s) + " is not a date and time"
		}
		if !t.After(a.now()) {
			return life, "not saved: \"Stops working at\" must be in the future"
		}
		life.ExpiresAt = t
	}
	if s := strings.TrimSpace(maxUses); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxMaxUses {
			return life, "not saved: \"Completed uses allowed\" must be a whole number of at least 1"
		}
		life.MaxUses = n
	}
	return life, ""
}
