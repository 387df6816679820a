-- Webhook endpoints: where events go. The secret is sealed with the secret
-- key; deleting an endpoint marks it, so its past deliveries stay listed and
-- it gets nothing more.
CREATE TABLE webhook_endpoints (
    id            TEXT PRIMARY KEY,
    url           TEXT NOT NULL,
    sealed_secret BYTEA NOT NULL,
    created_at    BIGINT NOT NULL,
    deleted_at    BIGINT            -- NULL while active
);

-- The outbox: one event per outcome and endpoint, written in the outcome's
-- transaction. A worker claims due events by setting a lease; the body is
-- built from the outcome and its basket, which never change.
CREATE TABLE webhook_events (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        TEXT NOT NULL UNIQUE, -- the webhook-id header
    endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints (id),
    outcome_id      BIGINT NOT NULL REFERENCES outcomes (id),
    type            TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT NOT NULL DEFAULT 0,
    lease_owner     TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE INDEX webhook_events_due ON webhook_events (state, next_attempt_at);

-- Every delivery attempt, answered or not.
CREATE TABLE webhook_attempts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event       BIGINT NOT NULL REFERENCES webhook_events (id),
    endpoint_id TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    http_status INTEGER NOT NULL, -- 0 when there was no answer
    error       TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id);
CREATE INDEX webhook_attempts_event ON webhook_attempts (event, id);
