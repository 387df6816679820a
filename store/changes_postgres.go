package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

func (s *postgresStore) LinkChanges(ctx context.Context, since time.Time) ([]string, time.Time, error) {
	// The clock first, in its own statement: a change stamped after it is
	// read by the next call.
	var clock int64
	if err := s.pool.QueryRow(ctx, postgresClockSQL).Scan(&clock); err != nil {
		return nil, time.Time{}, fmt.Errorf("store: link changes: %w", err)
	}
	rows, err := s.pool.Query(ctx, dollars(linkChangesSQL), changeSince(since))
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("store: link changes: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("store: link changes: %w", err)
	}
	return ids, changeNow(clock), nil
}

func (s *postgresStore) PruneLinkChanges(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, dollars(pruneLinkChangesSQL), before.UnixMicro())
	if err != nil {
		return 0, fmt.Errorf("store: prune link changes: %w", err)
	}
	return tag.RowsAffected(), nil
}
