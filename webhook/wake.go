package webhook

import (
	"context"

	"basketlink/store"
)

// wakingStore is a store whose recorded outcomes wake the worker, so an
// event leaves at once instead of at the next poll.
type wakingStore struct {
	store.Store
	w *Worker
}

// WakeOnOutcome returns st, with the worker woken after each recorded outcome.
func WakeOnOutcome(st store.Store, w *Worker) store.Store { return wakingStore{st, w} }

func (s wakingStore) RecordOutcome(ctx context.Context, o store.Outcome) (int64, error) {
	id, err := s.Store.RecordOutcome(ctx, o)
	if err == nil {
		s.w.Wake()
	}
	return id, err
}
