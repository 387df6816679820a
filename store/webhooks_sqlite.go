package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

func (s *sqliteStore) CreateWebhook(ctx context.Context, url string, sealed []byte) (Webhook, error) {
	if err := checkWebhook(url, sealed); err != nil {
		return Webhook{}, err
	}
	id, err := newID()
	if err != nil {
		return Webhook{}, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	res, err := s.w.ExecContext(ctx, `INSERT INTO webhook_endpoints (id, url, sealed_secret, created_at)
		SELECT ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM webhook_endpoints WHERE deleted_at IS NULL) < ?`,
		id, url, sealed, now.UnixMicro(), MaxWebhookEndpoints)
	if err != nil {
		return Webhook{}, fmt.Errorf("store: save webhook: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Webhook{}, ErrTooMany
	}
	return Webhook{ID: id, URL: url, SealedSecret: sealed, CreatedAt: now}, nil
}

func (s *sqliteStore) Webhooks(ctx context.Context) ([]Webhook, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, url, sealed_secret, created_at FROM webhook_endpoints
		WHERE deleted_at IS NULL ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: webhooks: %w", err)
	}
	defer rows.Close()
	var out []Webhook
	for rows.Next() {
		var w Webhook
		var created int64
		if err := rows.Scan(&w.ID, &w.URL, &w.SealedSecret, &created); err != nil {
			return nil, fmt.Errorf("store: webhooks: %w", err)
		}
		w.CreatedAt = time.UnixMicro(created).UTC()
		out = append(out, w)
	}
	return out, rows.Err()
}

func (s *sqliteStore) DeleteWebhook(ctx context.Context, id string) error {
	res, err := s.w.ExecContext(ctx, `UPDATE webhook_endpoints SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL`,
		time.Now().UnixMicro(), id)
	if err != nil {
		return fmt.Errorf("store: delete webhook: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// ClaimWebhookEvents claims with one UPDATE ... RETURNING: SQLite runs one
// writer at a time, so two processes on the file never claim one event.
func (s *sqliteStore) ClaimWebhookEvents(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]WebhookEvent, error) {
	owner, err := newLeaseOwner()
	if err != nil {
		return nil, err
	}
	rows, err := s.w.QueryContext(ctx, `UPDATE webhook_events
		SET lease_until = ?, lease_owner = ?, attempts = attempts + 1
		WHERE id IN (SELECT e.id FROM webhook_events e JOIN webhook_endpoints p ON p.id = e.endpoint_id
			WHERE e.state = 'pending' AND e.next_attempt_at <= ? AND e.lease_until <= ? AND p.deleted_at IS NULL
			ORDER BY e.next_attempt_at LIMIT ?)
		RETURNING id`,
		now.Add(lease).UnixMicro(), owner, now.UnixMicro(), now.UnixMicro(), clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: claim webhook events: %w", err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("store: claim webhook events: %w", err)
	}
	if n == 0 {
		return nil, nil
	}
	rows, err = s.w.QueryContext(ctx, claimedEventsSQL+` WHERE e.lease_owner = ? AND e.state = 'pending' ORDER BY e.id`, owner)
	if err != nil {
		return nil, fmt.Errorf("store: claimed webhook events: %w", err)
	}
	defer rows.Close()
	var out []WebhookEvent
	for rows.Next() {
		ev, err := scanClaimed(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("store: claimed webhook events: %w", err)
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

func (s *sqliteStore) FinishWebhookAttempt(ctx context.Context, r AttemptResult) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: record webhook attempt: begin: %w", err)
	}
	defer tx.Rollback()
	ev := r.Event
	if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_attempts (event, endpoint_id, attempt, http_status, error, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, ev.Row, ev.EndpointID, ev.Attempt, r.HTTPStatus, cut(r.Error, MaxAttemptErrorChar), r.At.UnixMicro()); err != nil {
		return fmt.Errorf("store: record webhook attempt: %w", err)
	}
	st, next := finishState(r)
	if _, err := tx.ExecContext(ctx, `UPDATE webhook_events SET state = ?, next_attempt_at = ?, lease_until = 0, lease_owner = ''
		WHERE id = ? AND lease_owner = ?`, st, next, ev.Row, ev.LeaseOwner); err != nil {
		return fmt.Errorf("store: record webhook attempt: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: record webhook attempt: commit: %w", err)
	}
	return nil
}

func (s *sqliteStore) WebhookAttempts(ctx context.Context, endpointID string, limit int) ([]WebhookAttempt, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM webhook_endpoints WHERE id = ?`, endpointID).Scan(&n); err != nil {
		return nil, fmt.Errorf("store: webhook attempts: %w", err)
	}
	if n == 0 {
		return nil, ErrNotFound
	}
	return s.attempts(ctx, `WHERE a.endpoint_id = ?`, endpointID, limit)
}

func (s *sqliteStore) BasketWebhookAttempts(ctx context.Context, basketID string, limit int) ([]WebhookAttempt, error) {
	return s.attempts(ctx, `WHERE o.basket_id = ?`, basketID, limit)
}

func (s *sqliteStore) attempts(ctx context.Context, where, arg string, limit int) ([]WebhookAttempt, error) {
	rows, err := s.r.QueryContext(ctx, attemptsSQL+where+` ORDER BY a.id DESC LIMIT ?`, arg, clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: webhook attempts: %w", err)
	}
	defer rows.Close()
	var out []WebhookAttempt
	for rows.Next() {
		a, err := scanAttempt(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("store: webhook attempts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *sqliteStore) PendingWebhookEvents(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, pendingSQL).Scan(&n)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: pending webhook events: %w", err)
	}
	return n, nil
}
