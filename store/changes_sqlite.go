package store

import (
	"context"
	"fmt"
	"time"
)

func (s *sqliteStore) LinkChanges(ctx context.Context, since time.Time) ([]string, time.Time, error) {
	// The clock first: a change stamped after it is read by the next call.
	var clock int64
	if err := s.r.QueryRowContext(ctx, sqliteClockSQL).Scan(&clock); err != nil {
		return nil, time.Time{}, fmt.Errorf("store: link changes: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, linkChangesSQL, changeSince(since))
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("store: link changes: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, time.Time{}, fmt.Errorf("store: link changes: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, time.Time{}, fmt.Errorf("store: link changes: %w", err)
	}
	return ids, changeNow(clock), nil
}

func (s *sqliteStore) PruneLinkChanges(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, pruneLinkChangesSQL, before.UnixMicro())
	if err != nil {
		return 0, fmt.Errorf("store: prune link changes: %w", err)
	}
	return res.RowsAffected()
}
