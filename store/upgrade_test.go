package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
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
	if _, err := s.Revoke(ctx, v1BasketID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if ids, _, err := s.LinkChanges(ctx, time.Time{}); err != nil || len(ids) != 1 || ids[0] != v1BasketID {
		t.Fatalf("changes after revoking the old basket: %v %v, want [%s]", ids, err, v1BasketID)
	}
	if err := s.CreateSession(ctx, CreatorSession{IDHash: "h", TokenMAC: "m", ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatalf("a creator session in the upgraded database: %v", err)
	}
}

// A database at schema version 4, with a link and its counts, upgrades to the
// change feed: the counts survive the new link_counts table (SQLite), and
// changes are recorded from then on.
func TestUpgradeFromV4(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		ms, err := migrations(dialect(tg))
		if err != nil {
			t.Fatal(err)
		}
		var v4 []migration
		for _, m := range ms {
			if m.version <= 4 {
				v4 = append(v4, m)
			}
		}
		const id = "v4v4v4v4v4v4v4v4"
		rows := []string{
			`INSERT INTO baskets (id, label, params, created_at, max_uses) VALUES ('` + id + `', 'v4', '` + exampleParams + `', 1, 5)`,
			`INSERT INTO link_counts (basket_id, views, continues) VALUES ('` + id + `', 7, 3)`,
		}
		if tg.postgres() {
			conn, err := pgx.Connect(ctx, tg.url)
			if err != nil {
				t.Fatal(err)
			}
			exec := func(q string, args ...any) {
				if _, err := conn.Exec(ctx, q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			exec(schemaMigrationsDDL)
			for _, m := range v4 {
				exec(m.sql)
				exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)`, m.version, m.name)
			}
			for _, q := range rows {
				exec(q)
			}
			conn.Close(ctx)
		} else {
			db, err := sql.Open("sqlite", sqliteDSN(filepath.Join(tg.dir, DBFileName), true))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(schemaMigrationsDDL); err != nil {
				t.Fatal(err)
			}
			for _, m := range v4 {
				if err := applySQLite(ctx, db, m); err != nil {
					t.Fatal(err)
				}
			}
			for _, q := range rows {
				if _, err := db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			db.Close()
		}

		s := tg.open(t)
		if n := queryInt(t, s, `SELECT MAX(version) FROM schema_migrations`); n != int64(ms[len(ms)-1].version) {
			t.Fatalf("schema version %d after the upgrade, want %d", n, ms[len(ms)-1].version)
		}
		if !tg.postgres() {
			if n := queryInt(t, s, `SELECT COUNT(*) FROM pragma_table_list WHERE name = 'link_counts' AND wr = 1`); n != 1 {
				t.Fatal("link_counts is not WITHOUT ROWID after the upgrade")
			}
		}
		if err := s.AddCounts(ctx, byID(t, map[string]Counts{id: {Views: 1, Continues: 1}, "AAAAAAAAAAAAAAAA": {Views: 1}})); err != nil {
			t.Fatal(err)
		}
		if st, err := s.Stats(ctx, id); err != nil || st.Views != 8 || st.Continues != 4 {
			t.Fatalf("counts after the upgrade: %+v %v, want 8 views and 4 continues", st, err)
		}
		if ids, _ := changes(t, s, time.Time{}); len(ids) != 0 {
			t.Fatalf("changes right after the upgrade: %v", ids)
		}
		if _, err := s.RecordOutcome(ctx, Outcome{BasketID: id, Status: StatusOK}); err != nil {
			t.Fatal(err)
		}
		if ids, _ := changes(t, s, time.Time{}); len(ids) != 1 || ids[0] != id {
			t.Fatalf("changes after a completed use: %v, want [%s]", ids, id)
		}
	})
}
