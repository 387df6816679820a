package store

import "time"

// The queries both stores share (they use no placeholder).
const (
	claimedEventsSQL = `SELECT e.id, e.event_id, e.endpoint_id, p.url, p.sealed_secret, e.type, e.attempts, e.created_at,
		e.lease_owner, o.id, o.basket_id, o.status, o.http_status, o.message, o.created_at, b.label
		FROM webhook_events e
		JOIN webhook_endpoints p ON p.id = e.endpoint_id
		JOIN outcomes o ON o.id = e.outcome_id
		JOIN baskets b ON b.id = o.basket_id`
	attemptsSQL = `SELECT e.event_id, a.endpoint_id, o.basket_id, e.type, a.attempt, a.http_status, a.error, a.created_at
		FROM webhook_attempts a
		JOIN webhook_events e ON e.id = a.event
		JOIN outcomes o ON o.id = e.outcome_id `
	pendingSQL = `SELECT COUNT(*) FROM webhook_events e JOIN webhook_endpoints p ON p.id = e.endpoint_id
		WHERE e.state = 'pending' AND p.deleted_at IS NULL`
)

func scanClaimed(scan func(...any) error) (WebhookEvent, error) {
	var ev WebhookEvent
	var created, oCreated int64
	err := scan(&ev.Row, &ev.EventID, &ev.EndpointID, &ev.URL, &ev.SealedSecret, &ev.Type, &ev.Attempt, &created,
		&ev.LeaseOwner, &ev.Outcome.ID, &ev.Outcome.BasketID, &ev.Outcome.Status, &ev.Outcome.HTTPStatus, &ev.Outcome.Message, &oCreated, &ev.Label)
	ev.CreatedAt = time.UnixMicro(created).UTC()
	ev.Outcome.CreatedAt = time.UnixMicro(oCreated).UTC()
	return ev, err
}

func scanAttempt(scan func(...any) error) (WebhookAttempt, error) {
	var a WebhookAttempt
	var created int64
	err := scan(&a.EventID, &a.EndpointID, &a.BasketID, &a.Type, &a.Attempt, &a.HTTPStatus, &a.Error, &created)
	a.CreatedAt = time.UnixMicro(created).UTC()
	return a, err
}

// finishState is the event's state and next due time after an attempt.
func finishState(r AttemptResult) (string, int64) {
	switch {
	case r.Delivered:
		return "delivered", r.At.UnixMicro()
	case r.Next.IsZero():
		return "failed", r.At.UnixMicro()
	}
	return "pending", r.Next.UnixMicro()
}
