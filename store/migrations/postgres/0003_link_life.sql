-- As migrations/sqlite/0003_link_life.sql.
ALTER TABLE baskets ADD COLUMN expires_at BIGINT;
ALTER TABLE baskets ADD COLUMN max_uses INTEGER;
ALTER TABLE baskets ADD COLUMN revoked_at BIGINT;
CREATE INDEX baskets_created_at ON baskets (created_at, id);

CREATE TABLE link_counts (
    basket_id TEXT PRIMARY KEY REFERENCES baskets (id),
    views     BIGINT NOT NULL DEFAULT 0,
    continues BIGINT NOT NULL DEFAULT 0
);

ALTER TABLE outcomes ADD COLUMN token_expires_at BIGINT;
CREATE INDEX outcomes_basket_status ON outcomes (basket_id, status);
UPDATE outcomes SET sealed_token = NULL;
