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
	w := wordsIn(i18n.From(ctx))
	var b strings.Builder
	b.Grow(48 * len(tickets))
	for i, t := range tickets {
		if i > 0 {
			b.WriteString(", ")
		}
		side := t.sideText(w)
		if t.sideKey() == "" {
			side = strings.ToUpper(t.Side)
		}
		// Each part's words, one space apart, whatever spaces they held.
		first := true
		for _, part := range [...]string{side, t.Qty, t.Contract} {
			for w := range strings.FieldsSeq(part) {
				if !first {
					b.WriteByte(' ')
				}
				b.WriteString(w)
				first = false
			}
		}
	}
	return b.String()
}
