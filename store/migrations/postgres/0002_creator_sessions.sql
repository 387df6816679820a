-- Signed-in creators, as in migrations/sqlite/0002_creator_sessions.sql: only
-- the SHA-256 (hex) of the cookie's random id is kept; token_mac identifies
-- the admin token the session was opened with. Logging out deletes the row.
CREATE TABLE creator_sessions (
    id_hash    TEXT PRIMARY KEY,
    token_mac  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX creator_sessions_expires_at ON creator_sessions (expires_at);
