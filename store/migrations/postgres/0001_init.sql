-- The same tables as migrations/sqlite/0001_init.sql; times are unix
-- microseconds in both, so the stores share one conversion.

-- Saved baskets. There is no UPDATE anywhere: a saved basket never changes.
CREATE TABLE baskets (
    id         TEXT PRIMARY KEY,
    label      TEXT NOT NULL,
    params     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Nonces of OAuth states that were used once; kept until they expire.
CREATE TABLE used_states (
    nonce      TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX used_states_expires_at ON used_states (expires_at);

-- What happened at each callback.
CREATE TABLE outcomes (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    basket_id    TEXT NOT NULL REFERENCES baskets (id),
    status       TEXT NOT NULL CHECK (status IN ('ok', 'cancelled', 'refused', 'timeout', 'error')),
    http_status  INTEGER NOT NULL,
    message      TEXT NOT NULL,
    token_tail   TEXT NOT NULL,
    sealed_token BYTEA,
    created_at   BIGINT NOT NULL
);
CREATE INDEX outcomes_basket_id ON outcomes (basket_id, id);
