package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

func (s *postgresStore) CreateSession(ctx context.Context, cs CreatorSession) error {
	if err := checkSession(cs); err != nil {
		return err
	}
	if cs.CreatedAt.IsZero() {
		cs.CreatedAt = time.Now()
	}
	// Sign-ins are rare: dropping the expired sessions here keeps the table small.
	if _, err := s.pool.Exec(ctx, `DELETE FROM creator_sessions WHERE expires_at < $1`, time.Now().UnixMicro()); err != nil {
		return fmt.Errorf("store: drop expired sessions: %w", err)
	}
	_, err := s.pool.Exec(ctx,
		`INSERT INTO creator_sessions (id_hash, token_mac, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		cs.IDHash, cs.TokenMAC, cs.CreatedAt.UnixMicro(), cs.ExpiresAt.UnixMicro())
	if err != nil {
		return fmt.Errorf("store: save session: %w", err)
	}
	return nil
}

func (s *postgresStore) Session(ctx context.Context, idHash string) (CreatorSession, error) {
	cs := CreatorSession{IDHash: idHash}
	var created, expires int64
	err := s.pool.QueryRow(ctx,
		`SELECT token_mac, created_at, expires_at FROM creator_sessions WHERE id_hash = $1`, idHash).Scan(&cs.TokenMAC, &created, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return CreatorSession{}, ErrNotFound
	}
	if err != nil {
		return CreatorSession{}, fmt.Errorf("store: session: %w", err)
	}
	cs.CreatedAt, cs.ExpiresAt = time.UnixMicro(created).UTC(), time.UnixMicro(expires).UTC()
	return cs, nil
}

func (s *postgresStore) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM creator_sessions WHERE id_hash = $1`, idHash); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

func (s *postgresStore) DeleteSessionsExcept(ctx context.Context, tokenMAC string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM creator_sessions WHERE token_mac <> $1`, tokenMAC); err != nil {
		return fmt.Errorf("store: delete sessions of another admin token: %w", err)
	}
	return nil
}
