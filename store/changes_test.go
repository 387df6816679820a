package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// changes calls LinkChanges and fails the test on an error.
func changes(t *testing.T, s Store, since time.Time) ([]string, time.Time) {
	t.Helper()
	ids, now, err := s.LinkChanges(context.Background(), since)
	if err != nil {
		t.Fatalf("LinkChanges(%v): %v", since, err)
	}
	return ids, now
}

// lastChange is the newest changed_at recorded, in unix microseconds.
func lastChange(t *testing.T, s Store) int64 {
	t.Helper()
	return queryInt(t, s, `SELECT MAX(changed_at) FROM link_changes`)
}

func TestLinkChanges(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		link := func(label string, life Life) string {
			b, err := s.CreateLink(ctx, label, exampleParams, life)
			if err != nil {
				t.Fatal(err)
			}
			return b.ID
		}
		outcome := func(id, status string) {
			if _, err := s.RecordOutcome(ctx, Outcome{BasketID: id, Status: status}); err != nil {
				t.Fatal(err)
			}
		}
		limited := link("limited", Life{MaxUses: 3})
		unlimited := link("unlimited", Life{})
		revoked := link("revoked", Life{})
		edited := link("edited", Life{})
		deleted := link("deleted", Life{})
		cancelled := link("cancelled", Life{MaxUses: 3})

		// Saves, counts, an ok outcome on a link without max_uses and a
		// cancelled one on a link with it change nothing a cache holds.
		if err := s.AddCounts(ctx, byID(t, map[string]Counts{unlimited: {Views: 1}, limited: {Views: 2}})); err != nil {
			t.Fatal(err)
		}
		outcome(unlimited, StatusOK)
		outcome(cancelled, StatusCancelled)
		if ids, _ := changes(t, s, time.Time{}); len(ids) != 0 {
			t.Fatalf("changes after saves, counts and outcomes that change no link's status: %v, want none", ids)
		}

		if _, err := s.Revoke(ctx, revoked, time.Now()); err != nil {
			t.Fatal(err)
		}
		execSQL(t, s, `UPDATE baskets SET label = 'by hand' WHERE id = '`+edited+`'`)
		execSQL(t, s, `DELETE FROM baskets WHERE id = '`+deleted+`'`)
		outcome(limited, StatusOK)
		ids, _ := changes(t, s, time.Time{})
		slices.Sort(ids)
		want := []string{revoked, edited, deleted, limited}
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Fatalf("changes %v, want the revoked, edited, deleted and used links %v", ids, want)
		}
		for _, id := range []string{unlimited, cancelled} {
			if slices.Contains(ids, id) {
				t.Fatalf("%s listed as changed", id)
			}
		}

		// since: the changes at or after it, and none before.
		before := lastChange(t, s)
		time.Sleep(5 * time.Millisecond) // past SQLite's millisecond clock
		outcome(limited, StatusOK)
		if ids, _ := changes(t, s, time.UnixMicro(before+1)); !slices.Equal(ids, []string{limited}) {
			t.Fatalf("changes since the last one: %v, want only the new use of %s", ids, limited)
		}
		if ids, _ := changes(t, s, time.UnixMicro(before)); len(ids) < 2 {
			t.Fatalf("changes at or after %d: %v, want the change at it and the one after", before, ids)
		}
		// A completed use deleted by hand gives the use back.
		execSQL(t, s, `DELETE FROM outcomes WHERE basket_id = '`+limited+`' AND status = 'ok'`)
		if ids, _ := changes(t, s, time.UnixMicro(before+1)); !slices.Equal(ids, []string{limited, limited, limited}) {
			t.Fatalf("changes after deleting two completed uses: %v, want %s three times", ids, limited)
		}

		// now: the database's clock less ChangeMargin, advancing.
		_, now1 := changes(t, s, time.Time{})
		if d := time.Since(now1.Add(ChangeMargin)); d < -time.Second || d > time.Second {
			t.Fatalf("now %v is %v from this machine's clock less ChangeMargin", now1, d)
		}
		if now1.Location() != time.UTC {
			t.Fatalf("now in %v, want UTC", now1.Location())
		}
		time.Sleep(5 * time.Millisecond)
		_, now2 := changes(t, s, time.Time{})
		if !now2.After(now1) {
			t.Fatalf("now did not advance: %v then %v", now1, now2)
		}
		// A change made just before a call is listed again from its now.
		if ids, _ := changes(t, s, now2); !slices.Contains(ids, limited) {
			t.Fatalf("changes since now %v: %v, want the changes of the last ChangeMargin", now2, ids)
		}

		// Pruning forgets what came before, keeps the rest.
		total := queryInt(t, s, `SELECT COUNT(*) FROM link_changes`)
		n, err := s.PruneLinkChanges(ctx, time.UnixMicro(before+1))
		if err != nil || n != total-3 {
			t.Fatalf("prune: %d %v, want %d", n, err, total-3)
		}
		if ids, _ := changes(t, s, time.Time{}); !slices.Equal(ids, []string{limited, limited, limited}) {
			t.Fatalf("changes after pruning: %v, want the three since the prune's time", ids)
		}
		if n, err := s.PruneLinkChanges(ctx, time.UnixMicro(before+1)); err != nil || n != 0 {
			t.Fatalf("prune again: %d %v, want 0", n, err)
		}
	})
}

// A change whose transaction commits after a call to LinkChanges is listed by
// the next call from the now that call returned.
func TestLinkChangesCommittedLate(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		b, err := s.CreateBasket(ctx, "late", exampleParams)
		if err != nil {
			t.Fatal(err)
		}
		// Another writer: the label changes in a transaction left open.
		var commit func() error
		switch s := s.(type) {
		case *sqliteStore:
			db, err := sql.Open("sqlite", sqliteDSN(filepath.Join(tg.dir, DBFileName), true))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, `UPDATE baskets SET label = 'late edit' WHERE id = ?`, b.ID); err != nil {
				t.Fatal(err)
			}
			commit = tx.Commit
		case *postgresStore:
			tx, err := s.pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx)
			if _, err := tx.Exec(ctx, `UPDATE baskets SET label = 'late edit' WHERE id = $1`, b.ID); err != nil {
				t.Fatal(err)
			}
			commit = func() error { return tx.Commit(ctx) }
		}
		time.Sleep(20 * time.Millisecond)
		ids, now := changes(t, s, time.Time{})
		if len(ids) != 0 {
			t.Fatalf("an uncommitted change listed: %v", ids)
		}
		time.Sleep(20 * time.Millisecond)
		if err := commit(); err != nil {
			t.Fatal(err)
		}
		if ids, _ := changes(t, s, now); !slices.Equal(ids, []string{b.ID}) {
			t.Fatalf("changes since %v after the late commit: %v, want [%s]", now, ids, b.ID)
		}
	})
}
