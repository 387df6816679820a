package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// Webhook event types, the "type" of each event body.
const (
	EventCompleted = "outcome.completed"
	EventCancelled = "outcome.cancelled"
	EventFailed    = "outcome.failed" // refused, timeout or error
)

// EventType is the type of the event an outcome with this status makes.
func EventType(status string) string {
	switch status {
	case StatusOK:
		return EventCompleted
	case StatusCancelled:
		return EventCancelled
	}
	return EventFailed
}

// Webhook is an endpoint that receives an event for every outcome.
type Webhook struct {
	ID           string
	URL          string
	SealedSecret []byte // the signing secret sealed with secret.Key.Seal
	CreatedAt    time.Time
}

// WebhookEvent is an event claimed for one delivery attempt, with all the
// delivery needs: where, the sealed secret, and the outcome it tells of.
type WebhookEvent struct {
	Row          int64  // the outbox row
	EventID      string // the webhook-id header, the same on every attempt
	EndpointID   string
	URL          string
	SealedSecret []byte
	Type         string
	Attempt      int // 1 for the first attempt
	CreatedAt    time.Time
	LeaseOwner   string // whoever claimed it; FinishWebhookAttempt names it
	Outcome      Outcome
	Label        string // the basket's label
}

// WebhookAttempt is one recorded delivery attempt.
type WebhookAttempt struct {
	EventID    string
	EndpointID string
	BasketID   string
	Type       string
	Attempt    int
	HTTPStatus int    // 0 when there was no answer
	Error      string // "" when the endpoint answered 2xx
	CreatedAt  time.Time
}

// AttemptResult is how one attempt at a claimed event ended.
type AttemptResult struct {
	Event      WebhookEvent
	HTTPStatus int
	Error      string
	At         time.Time
	Delivered  bool
	// Next is when to try again; zero gives the event up (it is then failed).
	Next time.Time
}

// Limits on the webhook tables.
const (
	MaxWebhookURLChars  = 2000
	MaxAttemptErrorChar = 500
	MaxWebhookEndpoints = 20
)

// ErrTooMany: the store holds the most endpoints it allows.
var ErrTooMany = fmt.Errorf("store: %w: at most %d webhook endpoints", ErrInvalid, MaxWebhookEndpoints)

// webhookStore is what both stores implement for webhooks (part of Store).
type webhookStore interface {
	// CreateWebhook saves an endpoint under a new random id.
	CreateWebhook(ctx context.Context, url string, sealedSecret []byte) (Webhook, error)
	// Webhooks lists the endpoints not deleted, oldest first.
	Webhooks(ctx context.Context) ([]Webhook, error)
	// DeleteWebhook stops every delivery to the endpoint, pending ones
	// included; ErrNotFound when no such endpoint is active.
	DeleteWebhook(ctx context.Context, id string) error
	// ClaimWebhookEvents leases up to limit events due at now to this
	// caller for lease: another process claims them again only after the
	// lease passed without an answer. Events of deleted endpoints are never
	// claimed.
	ClaimWebhookEvents(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]WebhookEvent, error)
	// FinishWebhookAttempt records the attempt and, while the caller still
	// holds the lease, marks the event delivered, failed, or due at Next.
	FinishWebhookAttempt(ctx context.Context, r AttemptResult) error
	// WebhookAttempts lists an endpoint's attempts, newest first (deleted
	// endpoints too); ErrNotFound for an id never made.
	WebhookAttempts(ctx context.Context, endpointID string, limit int) ([]WebhookAttempt, error)
	// BasketWebhookAttempts lists the attempts at events of a basket's
	// outcomes, newest first.
	BasketWebhookAttempts(ctx context.Context, basketID string, limit int) ([]WebhookAttempt, error)
	// PendingWebhookEvents counts the events still to deliver.
	PendingWebhookEvents(ctx context.Context) (int, error)
}

// eventIDPrefix starts the event id of an outcome's events; the endpoint's
// id ends it, so each (outcome, endpoint) pair has one id for all attempts.
func eventIDPrefix(outcomeID int64) string {
	return "evt_" + strconv.FormatInt(outcomeID, 10) + "_"
}

// newLeaseOwner names one claim.
func newLeaseOwner() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("store: lease owner: %w", err)
	}
	return hex.EncodeToString(b), nil
}

func checkWebhook(url string, sealed []byte) error {
	switch {
	case url == "":
		return fmt.Errorf("store: %w: empty webhook URL", ErrInvalid)
	case len(url) > MaxWebhookURLChars:
		return fmt.Errorf("store: %w: webhook URL has %d characters; at most %d", ErrInvalid, len(url), MaxWebhookURLChars)
	case len(sealed) == 0:
		return fmt.Errorf("store: %w: webhook without a sealed secret", ErrInvalid)
	}
	return nil
}

func clampLimit(limit int) int {
	if limit < 1 || limit > 1000 {
		return 100
	}
	return limit
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
