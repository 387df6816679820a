package webhook

import (
	"context"
	"fmt"

	"basketlink/store"
)

// Sealer seals secrets for the store (secret.Key).
type Sealer interface {
	Seal(plaintext []byte) ([]byte, error)
}

// EndpointStore is the part of the store that keeps endpoints.
type EndpointStore interface {
	CreateWebhook(ctx context.Context, url string, sealedSecret []byte) (store.Webhook, error)
	Webhooks(ctx context.Context) ([]store.Webhook, error)
	DeleteWebhook(ctx context.Context, id string) error
	WebhookAttempts(ctx context.Context, endpointID string, limit int) ([]store.WebhookAttempt, error)
	BasketWebhookAttempts(ctx context.Context, basketID string, limit int) ([]store.WebhookAttempt, error)
}

// Endpoints manages the endpoints events go to.
type Endpoints struct {
	Store EndpointStore
	Key   Sealer
}

// Create checks rawURL, makes a secret and saves the endpoint; the secret is
// returned only here. A refused URL is store.ErrInvalid with the reason.
func (e *Endpoints) Create(ctx context.Context, rawURL string) (store.Webhook, string, error) {
	u, err := CheckURL(rawURL)
	if err != nil {
		return store.Webhook{}, "", fmt.Errorf("%w: %v", store.ErrInvalid, err)
	}
	sec, err := NewSecret()
	if err != nil {
		return store.Webhook{}, "", err
	}
	sealed, err := e.Key.Seal([]byte(sec))
	if err != nil {
		return store.Webhook{}, "", fmt.Errorf("webhook: seal secret: %w", err)
	}
	w, err := e.Store.CreateWebhook(ctx, u, sealed)
	if err != nil {
		return store.Webhook{}, "", err
	}
	return w, sec, nil
}

// List returns the active endpoints.
func (e *Endpoints) List(ctx context.Context) ([]store.Webhook, error) { return e.Store.Webhooks(ctx) }

// Delete stops every delivery to the endpoint; store.ErrNotFound when none.
func (e *Endpoints) Delete(ctx context.Context, id string) error {
	return e.Store.DeleteWebhook(ctx, id)
}

// BasketAttempts lists the delivery attempts of a basket's events, newest
// first: what its link's page shows.
func (e *Endpoints) BasketAttempts(ctx context.Context, basketID string, limit int) ([]store.WebhookAttempt, error) {
	return e.Store.BasketWebhookAttempts(ctx, basketID, limit)
}

// Attempts lists an endpoint's delivery attempts, newest first.
func (e *Endpoints) Attempts(ctx context.Context, id string, limit int) ([]store.WebhookAttempt, error) {
	return e.Store.WebhookAttempts(ctx, id, limit)
}
