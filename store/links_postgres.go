package store

import (
	"context"
	"errors"
	"fmt"
	"github.com/jackc/pgx/v5/pgconn"
	"time"

	"github.com/jackc/pgx/v5"
)

func (s *postgresStore) Revoke(ctx context.Context, id string, at time.Time) (Basket, error) {
	if !ValidID(id) {
		return Basket{}, ErrNotFound
	}
	if _, err := s.pool.Exec(ctx, dollars(revokeSQL), at.UnixMicro(), id); err != nil {
		return Basket{}, fmt.Errorf("store: revoke %s: %w", id, err)
	}
	return s.Basket(ctx, id)
}

func (s *postgresStore) Links(ctx context.Context, q LinkQuery) ([]Link, error) {
	query, args := linksQuery(q)
	rows, err := s.pool.Query(ctx, dollars(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: links: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Link, error) { return scanLink(row) })
	if err != nil {
		return nil, fmt.Errorf("store: links: %w", err)
	}
	return out, nil
}

func (s *postgresStore) Stats(ctx context.Context, id string) (Stats, error) {
	var st Stats
	if err := s.pool.QueryRow(ctx, dollars(statsSQL), id, id).Scan(&st.Views, &st.Continues); err != nil {
		return Stats{}, fmt.Errorf("store: stats of %s: %w", id, err)
	}
	rows, err := s.pool.Query(ctx, dollars(outcomeByStatusSQL), id)
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats of %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var n int64
		if err := rows.Scan(&status, &n); err != nil {
			return Stats{}, fmt.Errorf("store: stats of %s: %w", id, err)
		}
		st.addStatus(status, n)
	}
	return st, rows.Err()
}

func (s *postgresStore) AddCounts(ctx context.Context, counts map[IDKey]Counts) error {
	if len(counts) == 0 {
		return nil
	}
	// One statement for the whole batch (random clicks make it one row per
	// link). Ids sorted, and inserted in that order (ORDER BY v.n): two
	// replicas flushing overlapping ids at once take the rows' locks in the
	// same order, so one waits for the other and they cannot deadlock, as
	// two map orders could (each holding a row the other wants). The order
	// also keeps neighbouring rows together in the B-trees.
	rows := countRows(counts)
	ids := make([]string, len(rows))
	views := make([]int64, len(rows))
	continues := make([]int64, len(rows))
	for i, r := range rows {
		ids[i], views[i], continues[i] = string(r.id[:]), r.n.Views, r.n.Continues
	}
	// Every link counted was read a moment ago, so the foreign key is almost
	// always met: the batch goes in without joining baskets (a scan of the
	// whole table each flush), and only when a link has gone since (the
	// statement fails, and writes nothing) again with it.
	_, err := s.pool.Exec(ctx, addCountsManyKnownPG, ids, views, continues)
	if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) && pe.Code == pgForeignKeyViolation {
		_, err = s.pool.Exec(ctx, addCountsManyPG, ids, views, continues)
	}
	if err != nil {
		return fmt.Errorf("store: add counts: %w", err)
	}
	return nil
}

// addCountsManyKnownPG is addCountsManyPG for links that all exist: an
// unknown one fails the statement (link_counts.basket_id REFERENCES baskets).
const addCountsManyKnownPG = `INSERT INTO link_counts (basket_id, views, continues)
	SELECT v.id, v.views, v.continues FROM unnest($1::text[], $2::bigint[], $3::bigint[]) WITH ORDINALITY AS v(id, views, continues, n)
	ORDER BY v.n
	ON CONFLICT (basket_id) DO UPDATE SET views = link_counts.views + excluded.views,
		continues = link_counts.continues + excluded.continues`

// addCountsManyPG adds the counts of many links at once, in the order of
// the arrays; links that do not exist are skipped.
const addCountsManyPG = `INSERT INTO link_counts (basket_id, views, continues)
	SELECT v.id, v.views, v.continues FROM unnest($1::text[], $2::bigint[], $3::bigint[]) WITH ORDINALITY AS v(id, views, continues, n)
	WHERE EXISTS (SELECT 1 FROM baskets WHERE id = v.id)
	ORDER BY v.n
	ON CONFLICT (basket_id) DO UPDATE SET views = link_counts.views + excluded.views,
		continues = link_counts.continues + excluded.continues`

func (s *postgresStore) TakeToken(ctx context.Context, outcomeID int64, now time.Time) ([]byte, time.Time, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("store: take token: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var sealed []byte
	var expires *int64
	// FOR UPDATE: of two takers at once, the second waits, then reads NULL.
	err = tx.QueryRow(ctx, `SELECT sealed_token, token_expires_at FROM outcomes WHERE id = $1 FOR UPDATE`, outcomeID).Scan(&sealed, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, time.Time{}, ErrNotFound
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("store: take token: %w", err)
	}
	if len(sealed) == 0 || expires == nil || *expires <= now.UnixMicro() {
		return nil, time.Time{}, ErrTokenGone
	}
	if _, err := tx.Exec(ctx, `UPDATE outcomes SET sealed_token = NULL, token_expires_at = NULL WHERE id = $1`, outcomeID); err != nil {
		return nil, time.Time{}, fmt.Errorf("store: take token: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, time.Time{}, fmt.Errorf("store: take token: %w", err)
	}
	return sealed, time.UnixMicro(*expires).UTC(), nil
}

func (s *postgresStore) SweepTokens(ctx context.Context, now time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, dollars(sweepSQL), now.UnixMicro())
	if err != nil {
		return 0, fmt.Errorf("store: sweep tokens: %w", err)
	}
	return tag.RowsAffected(), nil
}
