package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

func (s *sqliteStore) Revoke(ctx context.Context, id string, at time.Time) (Basket, error) {
	if !ValidID(id) {
		return Basket{}, ErrNotFound
	}
	if _, err := s.w.ExecContext(ctx, revokeSQL, at.UnixMicro(), id); err != nil {
		return Basket{}, fmt.Errorf("store: revoke %s: %w", id, err)
	}
	return s.Basket(ctx, id)
}

func (s *sqliteStore) Links(ctx context.Context, q LinkQuery) ([]Link, error) {
	query, args := linksQuery(q)
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: links: %w", err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, fmt.Errorf("store: links: %w", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: links: %w", err)
	}
	return out, nil
}

func (s *sqliteStore) Stats(ctx context.Context, id string) (Stats, error) {
	var st Stats
	if err := s.r.QueryRowContext(ctx, statsSQL, id, id).Scan(&st.Views, &st.Continues); err != nil {
		return Stats{}, fmt.Errorf("store: stats of %s: %w", id, err)
	}
	rows, err := s.r.QueryContext(ctx, outcomeByStatusSQL, id)
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

func (s *sqliteStore) AddCounts(ctx context.Context, counts map[string]Counts) error {
	if len(counts) == 0 {
		return nil
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: add counts: %w", err)
	}
	defer tx.Rollback()
	// One statement compiled once per flush: random clicks make a batch of one
	// row per link, and compiling the upsert for each was most of the cost.
	stmt, err := tx.PrepareContext(ctx, addCountsSQL)
	if err != nil {
		return fmt.Errorf("store: add counts: %w", err)
	}
	defer stmt.Close()
	for id, c := range counts {
		if _, err := stmt.ExecContext(ctx, id, c.Views, c.Continues, id); err != nil {
			return fmt.Errorf("store: add counts: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: add counts: %w", err)
	}
	return nil
}

func (s *sqliteStore) TakeToken(ctx context.Context, outcomeID int64, now time.Time) ([]byte, time.Time, error) {
	tx, err := s.w.BeginTx(ctx, nil) // IMMEDIATE: no other writer between the read and the clear
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("store: take token: %w", err)
	}
	defer tx.Rollback()
	var sealed []byte
	var expires sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT sealed_token, token_expires_at FROM outcomes WHERE id = ?`, outcomeID).Scan(&sealed, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, ErrNotFound
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("store: take token: %w", err)
	}
	if len(sealed) == 0 || !expires.Valid || expires.Int64 <= now.UnixMicro() {
		return nil, time.Time{}, ErrTokenGone
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outcomes SET sealed_token = NULL, token_expires_at = NULL WHERE id = ?`, outcomeID); err != nil {
		return nil, time.Time{}, fmt.Errorf("store: take token: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, time.Time{}, fmt.Errorf("store: take token: %w", err)
	}
	return sealed, time.UnixMicro(expires.Int64).UTC(), nil
}

func (s *sqliteStore) SweepTokens(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, sweepSQL, now.UnixMicro())
	if err != nil {
		return 0, fmt.Errorf("store: sweep tokens: %w", err)
	}
	return res.RowsAffected()
}
