package share

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"basketlink/basket"
	"basketlink/store"
)

// Listed is a link as the owner's list shows it.
type Listed struct {
	store.Link
	Status string
}

// Links is one page of saved links, newest first, each with its status.
//
// It returns one page of q.Limit links (0: store.MaxLinksPage) and the
// cursor of the next page, "" at the end (one more link than asked says
// whether there is a next page).
func (s *Service) Links(ctx context.Context, q store.LinkQuery) ([]Listed, string, error) {
	if q.Limit <= 0 {
		q.Limit = store.MaxLinksPage
	}
	ask := q
	ask.Limit = q.Limit + 1
	ls, err := s.Store.Links(ctx, ask)
	if err != nil {
		return nil, "", fmt.Errorf("list links: %w", err)
	}
	next := ""
	if len(ls) > q.Limit {
		ls = ls[:q.Limit]
		next = store.CursorOf(ls[len(ls)-1]).String()
	}
	out := make([]Listed, len(ls))
	for i, l := range ls {
		out[i] = Listed{Link: l, Status: s.statusOf(l.Basket)}
	}
	return out, next, nil
}

// statusOf is Status for a basket read from the store, judged as its review
// page and short link judge it (Basket, Click): the legs' expiries as of
// today and whether its URL fits, not the leg rules again.
func (s *Service) statusOf(b store.Basket) string {
	if st := b.LinkStatus(s.now()); st != store.LinkActive {
		return st
	}
	saved, err := basket.ReadSaved(b.Params)
	if err != nil || !saved.Placeable(s.today()) {
		return StatusContractExpired
	}
	if tpl, err := s.template(); err != nil || tpl.Check(b.Params) != nil {
		return StatusContractExpired
	}
	return store.LinkActive
}

// Stats counts what happened to a link.
func (s *Service) Stats(ctx context.Context, id string) (store.Stats, error) {
	st, err := s.Store.Stats(ctx, id)
	if err != nil {
		return store.Stats{}, fmt.Errorf("link stats: %w", err)
	}
	return st, nil
}

// Outcomes lists a link's outcomes, newest first.
func (s *Service) Outcomes(ctx context.Context, id string) ([]store.Outcome, error) {
	os, err := s.Store.Outcomes(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("link outcomes: %w", err)
	}
	slices.Reverse(os)
	return os, nil
}
