package templates

import (
	"context"

	"basketlink/basket"
)

// Review is the public review page of a saved basket.
type Review struct {
	ID, Label string
	Columns   []string
	Items     []map[string]any
	Valid     bool
	Problems  []string // why it cannot be placed now (an expired contract)
	GoURL     string   // /b/{id}/go
	Created   string
}

// CallbackView is the page the callback ends on.
type CallbackView struct {
	Status    int
	Kind      string // ok, cancelled, refused, timeout, error, bad_state
	Message   string
	Label     string
	Legs      int
	Columns   []string
	Items     []map[string]any
	TokenTail string // the last 4 characters of the token, at most
	ReviewURL string // the basket's review page, to try again
}

// Login is the creator login page.
type Login struct {
	Next  string
	Error string
}

// Shared is what "Save and share" shows: the links to send.
type Shared struct {
	ID, ShortURL, ReviewURL string
}

func reviewTitle(v Review) string {
	if v.Label != "" {
		return v.Label
	}
	return "A shared basket"
}

func callbackTitle(v CallbackView) string {
	switch v.Kind {
	case "ok":
		return "Done"
	case "cancelled":
		return "Cancelled at Tradejini"
	case "refused":
		return "Tradejini refused the sign-in"
	case "timeout":
		return "Tradejini did not answer in time"
	case "bad_state":
		return "This sign-in link does not work"
	}
	return "Something went wrong"
}

func legCount(n int) string {
	if n == 1 {
		return "1 leg"
	}
	return itoa(n) + " legs"
}

func cell(item map[string]any, key string) string { return basket.Cell(item, key) }

// callbackMessage is what the result page says. With the simulated broker it
// never claims, or suggests, that a real order was placed.
func callbackMessage(ctx context.Context, v CallbackView) string {
	if !SimulatedBroker(ctx) {
		return v.Message
	}
	switch v.Kind {
	case "ok":
		return "The simulated broker accepted the sign-in. This was a simulation: no real order was placed."
	case "timeout", "refused", "error":
		return v.Message + " (Simulated broker: no real order was placed.)"
	}
	return v.Message
}
