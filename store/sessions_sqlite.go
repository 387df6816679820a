package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

func checkSession(s CreatorSession) error {
	if s.IDHash == "" || s.TokenMAC == "" {
		return fmt.Errorf("store: %w: a session needs an id hash and a token MAC", ErrInvalid)
	}
	if s.ExpiresAt.IsZero() {
		return fmt.Errorf("store: %w: a session needs an expiry", ErrInvalid)
	}
	return nil
}

func (s *sqliteStore) CreateSession(ctx context.Context, cs CreatorSession) error {
	if err := checkSession(cs); err != nil {
		return err
	}
	if cs.CreatedAt.IsZero() {
		cs.CreatedAt = time.Now()
	}
	// Sign-ins are rare: dropping the expired sessions here keeps the table small.
	if _, err := s.w.ExecContext(ctx, `DELETE FROM creator_sessions WHERE expires_at < ?`, time.Now().UnixMicro()); err != nil {
		return fmt.Errorf("store: drop expired sessions: %w", err)
	}
	_, err := s.w.ExecContext(ctx,
		`INSERT INTO creator_sessions (id_hash, token_mac, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		cs.IDHash, cs.TokenMAC, cs.CreatedAt.UnixMicro(), cs.ExpiresAt.UnixMicro())
	if err != nil {
		return fmt.Errorf("store: save session: %w", err)
	}
	return nil
}

func (s *sqliteStore) Session(ctx context.Context, idHash string) (CreatorSession, error) {
	cs := CreatorSession{IDHash: idHash}
	var created, expires int64
	err := s.r.QueryRowContext(ctx,
		`SELECT token_mac, created_at, expires_at FROM creator_sessions WHERE id_hash = ?`, idHash).Scan(&cs.TokenMAC, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return CreatorSession{}, ErrNotFound
	}
	if err != nil {
		return CreatorSession{}, fmt.Errorf("store: session: %w", err)
	}
	cs.CreatedAt, cs.ExpiresAt = time.UnixMicro(created).UTC(), time.UnixMicro(expires).UTC()
	return cs, nil
}

func (s *sqliteStore) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM creator_sessions WHERE id_hash = ?`, idHash); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

func (s *sqliteStore) DeleteSessionsExcept(ctx context.Context, tokenMAC string) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM creator_sessions WHERE token_mac <> ?`, tokenMAC); err != nil {
		return fmt.Errorf("store: delete sessions of another admin token: %w", err)
	}
	return nil
}
