package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// testdata/v1-basketlink.db was written by basketlink before PostgreSQL
// support (schema version 1, commit 350cb68): one basket, one outcome, one
// used state. Every later basketlink must open it, migrate it and keep all three.
const v1BasketID = "Qby6EbqfWEYxXIxk"

func TestUpgradeFromV1SQLite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old, err := os.ReadFile(filepath.Join("testdata", "v1-basketlink.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, DBFileName), old, 0o600); err != nil {
		t.Fatal(err)
	}
	s := openTest(t, dir)
	b, err := s.Basket(ctx, v1BasketID)
	if err != nil || b.Label != "made by basketlink before PostgreSQL" || b.Params != exampleParams {
		t.Fatalf("the old basket: %+v %v", b, err)
	}
	outs, err := s.Outcomes(ctx, v1BasketID)
	// Migration 3 drops the tokens sealed before they could be picked up:
	// with no expiry they would be kept for ever, of use to nobody.
	if err != nil || len(outs) != 1 || outs[0].TokenTail != "wxyz" || outs[0].SealedToken != nil {
		t.Fatalf("the old outcome: %+v %v", outs, err)
	}
	if err := s.ClaimState(ctx, "old-nonce", time.Now().Add(time.Hour)); !errors.Is(err, ErrStateUsed) {
		t.Fatalf("the old used state: %v, want ErrStateUsed", err)
	}
	ms, _ := migrations("sqlite")
	if n := queryInt(t, s, `SELECT MAX(version) FROM schema_migrations`); n != int64(ms[len(ms)-1].version) {
		t.Fatalf("schema version %d after the upgrade, want %d", n, ms[len(ms)-1].version)
	}
	if _, err := s.CreateBasket(ctx, "new", exampleParams); err != nil {
		t.Fatalf("a new basket in the upgraded database: %v", err)
	}
	if err := s.CreateSession(ctx, CreatorSession{IDHash: "h", TokenMAC: "m", ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatalf("a creator session in the upgraded database: %v", err)
	}
}
