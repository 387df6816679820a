package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestCreatorSessions(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		now := time.Now().UTC().Truncate(time.Microsecond)
		a := CreatorSession{IDHash: "hash-a", TokenMAC: "mac-1", CreatedAt: now, ExpiresAt: now.Add(12 * time.Hour)}
		b := CreatorSession{IDHash: "hash-b", TokenMAC: "mac-2", CreatedAt: now, ExpiresAt: now.Add(12 * time.Hour)}
		for _, cs := range []CreatorSession{a, b} {
			if err := s.CreateSession(ctx, cs); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := s.Session(ctx, "hash-a"); err != nil || got != a {
			t.Fatalf("Session = %+v %v, want %+v", got, err, a)
		}
		if err := s.CreateSession(ctx, a); err == nil {
			t.Fatal("a second session with the same id hash was saved")
		}
		if err := s.CreateSession(ctx, CreatorSession{IDHash: "x"}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("a session without a token MAC or expiry: %v", err)
		}

		// Logout ends one session; deleting it again is no error.
		if err := s.DeleteSession(ctx, "hash-a"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSession(ctx, "hash-a"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, "hash-a"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a deleted session: %v", err)
		}

		// A new admin token ends the sessions of every other one.
		if err := s.CreateSession(ctx, CreatorSession{IDHash: "hash-c", TokenMAC: "mac-1", ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSessionsExcept(ctx, "mac-2"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, "hash-c"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a session of the old token: %v", err)
		}
		if _, err := s.Session(ctx, "hash-b"); err != nil {
			t.Fatalf("the current token's session: %v", err)
		}

		// Expired sessions are dropped when the next one is created.
		if err := s.CreateSession(ctx, CreatorSession{IDHash: "old", TokenMAC: "mac-2", ExpiresAt: time.Now().Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, CreatorSession{IDHash: "new", TokenMAC: "mac-2", ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, "old"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("an expired session was kept: %v", err)
		}

		// Sessions outlive a restart (they are in the database, not in memory).
		s.Close()
		if _, err := tg.open(t).Session(ctx, "hash-b"); err != nil {
			t.Fatalf("after reopening: %v", err)
		}
	})
}
