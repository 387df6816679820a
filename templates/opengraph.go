package templates

import (
	"context"
	"strings"

	"basketlink/i18n"
)

// OpenGraph is what a chat app shows when a review link is pasted: the
// basket's label, a one-line summary of its orders, and the link.
type OpenGraph struct {
	Title   string
	URL     string
	Tickets []Ticket
}

type openGraphKey struct{}

// WithOpenGraph returns ctx carrying the Open Graph tags of the page.
func WithOpenGraph(ctx context.Context, og OpenGraph) context.Context {
	return context.WithValue(ctx, openGraphKey{}, og)
}

func openGraphOf(ctx context.Context) (OpenGraph, bool) {
	og, ok := ctx.Value(openGraphKey{}).(OpenGraph)
	return og, ok
}

// Summary is the orders in one line, in the page's language:
// "BUY 1 RELIANCE EQ · NSE, SELL 50 NIFTY 29 DEC 2026 FUT".
func Summary(ctx context.Context, tickets []Ticket) string {
	parts := make([]string, 0, len(tickets))
	for _, t := range tickets {
		side := strings.ToUpper(t.Side)
		if k := t.sideKey(); k != "" {
			side = i18n.T(ctx, k)
		}
		parts = append(parts, strings.Join(strings.Fields(side+" "+t.Qty+" "+t.Contract), " "))
	}
	return strings.Join(parts, ", ")
}
