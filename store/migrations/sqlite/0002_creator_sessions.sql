-- Signed-in creators. The session cookie holds a random id; only its SHA-256
-- (hex) is kept here, so a copy of the database opens no session. token_mac
-- identifies the admin token the session was opened with: when the token
-- changes, every older session stops working. Logging out deletes the row.
CREATE TABLE creator_sessions (
    id_hash    TEXT PRIMARY KEY,
    token_mac  TEXT NOT NULL,
    created_at INTEGER NOT NULL, -- unix microseconds
    expires_at INTEGER NOT NULL  -- unix microseconds
);
CREATE INDEX creator_sessions_expires_at ON creator_sessions (expires_at);
