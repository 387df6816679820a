package store

import (
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"basketlink/internal/pgtest"
)

// BenchmarkAddCounts60k flushes what the link counter gathers in 3 s of
// clicks on random links among 200,000 saved ones: counts for 60,000
// distinct links, on SQLite and PostgreSQL. The flushes cycle through a few
// random sets of links, so some rows are new and some are added to.
func BenchmarkAddCounts60k(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchAddCountsAtScale(b, target{dir: b.TempDir()}) })
	b.Run("postgres", func(b *testing.B) { benchAddCountsAtScale(b, target{dir: b.TempDir(), url: pgtest.URL(b)}) })
}

func benchAddCountsAtScale(b *testing.B, tg target) {
	const saved, perFlush, sets = 200_000, 60_000, 4
	s := tg.open(b)
	ids := loadBaskets(b, s, saved)
	batches := make([]map[IDKey]Counts, sets)
	for i := range batches {
		batch := make(map[string]Counts, perFlush)
		for _, j := range rand.Perm(saved)[:perFlush] {
			batch[ids[j]] = Counts{Views: 2, Continues: 1}
		}
		batches[i] = byID(b, batch)
	}
	ctx := context.Background()
	i := 0
	b.ResetTimer()
	for b.Loop() {
		if err := s.AddCounts(ctx, batches[i%sets]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// loadBaskets saves n baskets with random ids straight into the store's
// database, in one transaction (SQLite) or one COPY (PostgreSQL) as
// scripts/loadlinks does, and returns their ids.
func loadBaskets(tb testing.TB, s Store, n int) []string {
	tb.Helper()
	ctx := context.Background()
	ids := make([]string, n)
	for i := range ids {
		raw := make([]byte, IDLength*6/8)
		crand.Read(raw)
		ids[i] = base64.RawURLEncoding.EncodeToString(raw)
	}
	var err error
	switch s := s.(type) {
	case *sqliteStore:
		err = func() error {
			tx, err := s.w.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			st, err := tx.PrepareContext(ctx, `INSERT INTO baskets (id, label, params, created_at) VALUES (?, ?, ?, ?)`)
			if err != nil {
				return err
			}
			defer st.Close()
			for i, id := range ids {
				if _, err := st.ExecContext(ctx, id, "load "+strconv.Itoa(i), exampleParams, int64(i)); err != nil {
					return err
				}
			}
			return tx.Commit()
		}()
	case *postgresStore:
		_, err = s.pool.CopyFrom(ctx, pgx.Identifier{"baskets"}, []string{"id", "label", "params", "created_at"},
			pgx.CopyFromSlice(n, func(i int) ([]any, error) {
				return []any{ids[i], "load " + strconv.Itoa(i), exampleParams, int64(i)}, nil
			}))
		if err == nil {
			_, err = s.pool.Exec(ctx, `ANALYZE baskets`)
		}
	default:
		tb.Fatalf("loadBaskets on a %T", s)
	}
	if err != nil {
		tb.Fatalf("load %d baskets: %v", n, err)
	}
	return ids
}

// Two processes flushing overlapping links at once, again and again, neither
// fails (on PostgreSQL, rows locked in two orders could deadlock) and every
// count is added once.
func TestAddCountsConcurrent(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		const links, rounds = 3000, 5
		ctx := context.Background()
		s1, s2 := tg.open(t), tg.open(t)
		ids := loadBaskets(t, s1, links)
		counts := make(map[string]Counts, links)
		for _, id := range ids {
			counts[id] = Counts{Views: 1, Continues: 2}
		}
		batch := byID(t, counts)
		errs := make(chan error, 2*rounds)
		var wg sync.WaitGroup
		for _, s := range []Store{s1, s2} {
			wg.Go(func() {
				for range rounds {
					errs <- s.AddCounts(ctx, batch)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("a concurrent flush: %v", err)
			}
		}
		if n := queryInt(t, s1, `SELECT SUM(views) FROM link_counts`); n != 2*rounds*links {
			t.Fatalf("%d views stored, want %d", n, 2*rounds*links)
		}
		if n := queryInt(t, s1, `SELECT SUM(continues) FROM link_counts`); n != 2*2*rounds*links {
			t.Fatalf("%d continues stored, want %d", n, 2*2*rounds*links)
		}
	})
}

// TestLinkCountsLeaveRoom: on PostgreSQL, link_counts' pages keep half their
// room for the flushes' updates (fillfactor 50, set when the store opens, and
// again on a table that lost it), so those are HOT updates that leave the
// index alone, as pg_stat_user_tables counts them.
func TestLinkCountsLeaveRoom(t *testing.T) {
	tg := target{dir: t.TempDir(), url: pgtest.URL(t)}
	s := tg.open(t)
	fillfactor := `SELECT COUNT(*) FROM pg_class WHERE relname = 'link_counts' AND 'fillfactor=50' = ANY(reloptions)`
	if n := queryInt(t, s, fillfactor); n != 1 {
		t.Errorf("link_counts has no fillfactor=50")
	}
	execSQL(t, s, `ALTER TABLE link_counts RESET (fillfactor)`)
	if n := queryInt(t, tg.open(t), fillfactor); n != 1 {
		t.Errorf("link_counts has no fillfactor=50 after the store opened it again")
	}
	ctx := context.Background()
	ids := loadBaskets(t, s, 200)
	counts := map[string]Counts{}
	for _, id := range ids {
		counts[id] = Counts{Views: 1}
	}
	for range 3 {
		if err := s.AddCounts(ctx, byID(t, counts)); err != nil {
			t.Fatal(err)
		}
	}
	// The statistics reach pg_stat_user_tables a moment later.
	deadline := time.Now().Add(10 * time.Second)
	for {
		execSQL(t, s, `SELECT pg_stat_clear_snapshot()`)
		upd := queryInt(t, s, `SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'link_counts'`)
		hot := queryInt(t, s, `SELECT n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'link_counts'`)
		if upd >= 400 {
			if hot < upd*9/10 {
				t.Fatalf("%d of %d updates of link_counts were HOT, want nearly all", hot, upd)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pg_stat_user_tables shows %d updates of link_counts after 10 s, want 400", upd)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
