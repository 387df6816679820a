-- A link's life and what happened to it. The legs (params) still never
-- change; these columns say whether the link may still be used.
ALTER TABLE baskets ADD COLUMN expires_at INTEGER; -- unix microseconds; NULL: never
ALTER TABLE baskets ADD COLUMN max_uses INTEGER;   -- completed callbacks allowed; NULL: no limit
ALTER TABLE baskets ADD COLUMN revoked_at INTEGER; -- unix microseconds; NULL: not revoked
CREATE INDEX baskets_created_at ON baskets (created_at, id);

-- Views and continues, added to in batches (UPDATE ... + n), so that the
-- counts of several processes add up.
CREATE TABLE link_counts (
    basket_id TEXT PRIMARY KEY REFERENCES baskets (id),
    views     INTEGER NOT NULL DEFAULT 0,
    continues INTEGER NOT NULL DEFAULT 0
);

-- A sealed access token is kept only with token pickup on, until it expires.
ALTER TABLE outcomes ADD COLUMN token_expires_at INTEGER; -- unix microseconds
CREATE INDEX outcomes_basket_status ON outcomes (basket_id, status);
-- Tokens sealed before there was a way to pick them up have no use: drop them.
UPDATE outcomes SET sealed_token = NULL;
