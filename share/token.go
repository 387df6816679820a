package share

import (
	"context"
	"errors"
	"fmt"
	"time"

	"basketlink/store"
)

var (
	// ErrPickupOff: token pickup is off; no token is ever kept.
	ErrPickupOff = errors.New("token pickup is off")
	// ErrNoOutcome: no outcome with that id.
	ErrNoOutcome = errors.New("no outcome with that id")
	// ErrTokenGone: the token was picked up already, expired, or never kept.
	ErrTokenGone = errors.New("the token was picked up already or has expired")
)

// PickUpToken hands out a completed outcome's access token, once.
func (s *Service) PickUpToken(ctx context.Context, outcomeID int64) (string, time.Time, error) {
	if !s.TokenPickup {
		return "", time.Time{}, ErrPickupOff
	}
	sealed, expires, err := s.Store.TakeToken(ctx, outcomeID, s.now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "", time.Time{}, ErrNoOutcome
	case errors.Is(err, store.ErrTokenGone):
		return "", time.Time{}, ErrTokenGone
	case err != nil:
		return "", time.Time{}, fmt.Errorf("pick up token: %w", err)
	}
	tok, err := s.Key.Open(sealed)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("pick up token: open: %w", err)
	}
	return string(tok), expires, nil
}

// SweepTokens deletes expired sealed tokens every interval until ctx is done.
func (s *Service) SweepTokens(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := s.Store.SweepTokens(ctx, s.now()); err != nil && ctx.Err() == nil {
			s.log().Warn("sweep expired tokens", "err", err)
		} else if n > 0 {
			s.log().Info("swept expired tokens", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
