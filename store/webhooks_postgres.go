package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

func (s *postgresStore) CreateWebhook(ctx context.Context, url string, sealed []byte) (Webhook, error) {
	if err := checkWebhook(url, sealed); err != nil {
		return Webhook{}, err
	}
	id, err := newID()
	if err != nil {
		return Webhook{}, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	tag, err := s.pool.Exec(ctx, `INSERT INTO webhook_endpoints (id, url, sealed_secret, created_at)
		SELECT $1, $2, $3, $4 WHERE (SELECT COUNT(*) FROM webhook_endpoints WHERE deleted_at IS NULL) < $5`,
		id, url, sealed, now.UnixMicro(), MaxWebhookEndpoints)
	if err != nil {
		return Webhook{}, fmt.Errorf("store: save webhook: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return Webhook{}, ErrTooMany
	}
	return Webhook{ID: id, URL: url, SealedSecret: sealed, CreatedAt: now}, nil
}

func (s *postgresStore) Webhooks(ctx context.Context) ([]Webhook, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, url, sealed_secret, created_at FROM webhook_endpoints
		WHERE deleted_at IS NULL ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: webhooks: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Webhook, error) {
		var w Webhook
		var created int64
		err := row.Scan(&w.ID, &w.URL, &w.SealedSecret, &created)
		w.CreatedAt = time.UnixMicro(created).UTC()
		return w, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: webhooks: %w", err)
	}
	return out, nil
}

func (s *postgresStore) DeleteWebhook(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE webhook_endpoints SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL`,
		time.Now().UnixMicro(), id)
	if err != nil {
		return fmt.Errorf("store: delete webhook: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// ClaimWebhookEvents claims with SELECT ... FOR UPDATE SKIP LOCKED: processes
// claiming at once each take other rows, and a row leased by one is not due
// for another until its lease passes.
func (s *postgresStore) ClaimWebhookEvents(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]WebhookEvent, error) {
	owner, err := newLeaseOwner()
	if err != nil {
		return nil, err
	}
	tag, err := s.pool.Exec(ctx, `WITH due AS (
			SELECT e.id FROM webhook_events e JOIN webhook_endpoints p ON p.id = e.endpoint_id
			WHERE e.state = 'pending' AND e.next_attempt_at <= $1 AND e.lease_until <= $1 AND p.deleted_at IS NULL
			ORDER BY e.next_attempt_at LIMIT $2
			FOR UPDATE OF e SKIP LOCKED)
		UPDATE webhook_events w SET lease_until = $3, lease_owner = $4, attempts = w.attempts + 1
		FROM due WHERE w.id = due.id`,
		now.UnixMicro(), clampLimit(limit), now.Add(lease).UnixMicro(), owner)
	if err != nil {
		return nil, fmt.Errorf("store: claim webhook events: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, claimedEventsSQL+` WHERE e.lease_owner = $1 AND e.state = 'pending' ORDER BY e.id`, owner)
	if err != nil {
		return nil, fmt.Errorf("store: claimed webhook events: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (WebhookEvent, error) { return scanClaimed(row.Scan) })
	if err != nil {
		return nil, fmt.Errorf("store: claimed webhook events: %w", err)
	}
	return out, nil
}

func (s *postgresStore) FinishWebhookAttempt(ctx context.Context, r AttemptResult) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store: record webhook attempt: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	ev := r.Event
	if _, err := tx.Exec(ctx, `INSERT INTO webhook_attempts (event, endpoint_id, attempt, http_status, error, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, ev.Row, ev.EndpointID, ev.Attempt, r.HTTPStatus, cut(r.Error, MaxAttemptErrorChar), r.At.UnixMicro()); err != nil {
		return fmt.Errorf("store: record webhook attempt: %w", err)
	}
	st, next := finishState(r)
	if _, err := tx.Exec(ctx, `UPDATE webhook_events SET state = $1, next_attempt_at = $2, lease_until = 0, lease_owner = ''
		WHERE id = $3 AND lease_owner = $4`, st, next, ev.Row, ev.LeaseOwner); err != nil {
		return fmt.Errorf("store: record webhook attempt: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store: record webhook attempt: commit: %w", err)
	}
	return nil
}

func (s *postgresStore) WebhookAttempts(ctx context.Context, endpointID string, limit int) ([]WebhookAttempt, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM webhook_endpoints WHERE id = $1`, endpointID).Scan(&n); err != nil {
		return nil, fmt.Errorf("store: webhook attempts: %w", err)
	}
	if n == 0 {
		return nil, ErrNotFound
	}
	return s.attempts(ctx, `WHERE a.endpoint_id = $1`, endpointID, limit)
}

func (s *postgresStore) BasketWebhookAttempts(ctx context.Context, basketID string, limit int) ([]WebhookAttempt, error) {
	return s.attempts(ctx, `WHERE o.basket_id = $1`, basketID, limit)
}

func (s *postgresStore) attempts(ctx context.Context, where, arg string, limit int) ([]WebhookAttempt, error) {
	rows, err := s.pool.Query(ctx, attemptsSQL+where+` ORDER BY a.id DESC LIMIT $2`, arg, clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: webhook attempts: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (WebhookAttempt, error) { return scanAttempt(row.Scan) })
	if err != nil {
		return nil, fmt.Errorf("store: webhook attempts: %w", err)
	}
	return out, nil
}

func (s *postgresStore) PendingWebhookEvents(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, pendingSQL).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: pending webhook events: %w", err)
	}
	return n, nil
}
