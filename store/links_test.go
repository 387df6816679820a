package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"basketlink/internal/pgtest"
)

func TestLinkLife(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		exp := time.Now().Add(time.Hour).UTC().Truncate(time.Microsecond)
		b, err := s.CreateLink(ctx, "life", exampleParams, Life{ExpiresAt: exp, MaxUses: 2})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Basket(ctx, b.ID)
		if err != nil || !got.ExpiresAt.Equal(exp) || got.MaxUses != 2 || got.Completed != 0 || !got.RevokedAt.IsZero() {
			t.Fatalf("read back: %+v %v", got, err)
		}
		if st := got.LinkStatus(time.Now()); st != LinkActive {
			t.Fatalf("status %s, want active", st)
		}
		if st := got.LinkStatus(exp); st != LinkExpired {
			t.Fatalf("status at expiry %s, want expired", st)
		}
		for range 2 {
			if _, err := s.RecordOutcome(ctx, Outcome{BasketID: b.ID, Status: StatusOK}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.RecordOutcome(ctx, Outcome{BasketID: b.ID, Status: StatusCancelled}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Basket(ctx, b.ID)
		if got.Completed != 2 || got.LinkStatus(time.Now()) != LinkUsedUp {
			t.Fatalf("after two completions: %+v status %s", got, got.LinkStatus(time.Now()))
		}
		at := time.Now().UTC().Truncate(time.Microsecond)
		r1, err := s.Revoke(ctx, b.ID, at)
		if err != nil || !r1.RevokedAt.Equal(at) || r1.LinkStatus(time.Now()) != LinkRevoked {
			t.Fatalf("revoke: %+v %v", r1, err)
		}
		r2, err := s.Revoke(ctx, b.ID, at.Add(time.Hour))
		if err != nil || !r2.RevokedAt.Equal(at) || r2.Params != b.Params {
			t.Fatalf("revoke again changed the basket: %+v %v", r2, err)
		}
		if _, err := s.Revoke(ctx, "AAAAAAAAAAAAAAAA", at); !errors.Is(err, ErrNotFound) {
			t.Fatalf("revoke of no basket: %v", err)
		}
		if _, err := s.CreateLink(ctx, "bad", exampleParams, Life{MaxUses: -1}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("max uses -1: %v", err)
		}
	})
}

func TestLinkCountsAndPages(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		s2 := tg.open(t) // a second process on the same database
		var ids []string
		for i := range 7 {
			label := fmt.Sprintf("batch %d", i)
			if i == 3 {
				label = "Nifty 100% IRON_condor"
			}
			b, err := s.CreateBasket(ctx, label, exampleParams)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, b.ID)
		}
		if err := s.AddCounts(ctx, byID(t, map[string]Counts{ids[0]: {Views: 3, Continues: 1}, "AAAAAAAAAAAAAAAA": {Views: 9}})); err != nil {
			t.Fatal(err)
		}
		if err := s2.AddCounts(ctx, byID(t, map[string]Counts{ids[0]: {Views: 2, Continues: 4}})); err != nil {
			t.Fatal(err)
		}
		// Counts of every size add up: small ones, ones at and past 32 bits, in one batch with an unknown link.
		huge := map[string]Counts{ids[1]: {Views: math.MaxInt32, Continues: math.MaxInt32}, ids[2]: {Views: 1 << 40, Continues: 2},
			ids[4]: {Views: 1, Continues: math.MaxInt32 + 1}, ids[5]: {Views: 7}, "BBBBBBBBBBBBBBBB": {Views: 1 << 40}}
		for range 2 {
			if err := s.AddCounts(ctx, byID(t, huge)); err != nil {
				t.Fatal(err)
			}
		}
		for _, id := range []string{ids[1], ids[2], ids[4], ids[5]} {
			st, err := s.Stats(ctx, id)
			if want := (Stats{Views: 2 * huge[id].Views, Continues: 2 * huge[id].Continues}); err != nil || st != want {
				t.Fatalf("stats of %s: %+v %v, want %+v", id, st, err, want)
			}
		}
		for _, st := range []string{StatusOK, StatusRefused, StatusTimeout, StatusTimeout, StatusError} {
			if _, err := s.RecordOutcome(ctx, Outcome{BasketID: ids[0], Status: st}); err != nil {
				t.Fatal(err)
			}
		}
		st, err := s.Stats(ctx, ids[0])
		want := Stats{Views: 5, Continues: 5, Completed: 1, Refused: 1, Timeout: 2, Error: 1}
		if err != nil || st != want {
			t.Fatalf("stats %+v %v, want %+v", st, err, want)
		}
		// Pages of 3 walk all 7, newest first, each once.
		seen := map[string]int{}
		var order []string
		var cur Cursor
		for {
			page, err := s.Links(ctx, LinkQuery{Limit: 3, After: cur})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range page {
				seen[l.ID]++
				order = append(order, l.ID)
				if l.ID == ids[0] && l.Stats != want {
					t.Fatalf("listed stats %+v, want %+v", l.Stats, want)
				}
			}
			if len(page) < 3 {
				break
			}
			c, err := ParseCursor(CursorOf(page[len(page)-1]).String())
			if err != nil {
				t.Fatal(err)
			}
			cur = c
		}
		if len(order) != 7 || order[0] != ids[6] || order[6] != ids[0] {
			t.Fatalf("walked %v, want the 7 newest first", order)
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("%s seen %d times", id, n)
			}
		}
		found, err := s.Links(ctx, LinkQuery{Label: "100% iron_"})
		if err != nil || len(found) != 1 || found[0].ID != ids[3] {
			t.Fatalf("search: %+v %v", found, err)
		}
		if found, _ := s.Links(ctx, LinkQuery{Label: "_"}); len(found) != 1 {
			t.Fatalf("search for _ matched %d links, want the one with _ in its label", len(found))
		}
		if _, err := ParseCursor("not-a-cursor"); !errors.Is(err, ErrInvalid) {
			t.Fatalf("bad cursor: %v", err)
		}
	})
}

func TestTakeToken(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		b, _ := s.CreateBasket(ctx, "tok", exampleParams)
		now := time.Now()
		id, err := s.RecordOutcome(ctx, Outcome{BasketID: b.ID, Status: StatusOK, SealedToken: []byte("sealed"), TokenExpiresAt: now.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		old, _ := s.RecordOutcome(ctx, Outcome{BasketID: b.ID, Status: StatusOK, SealedToken: []byte("old"), TokenExpiresAt: now.Add(-time.Second)})
		tok, exp, err := s.TakeToken(ctx, id, now)
		if err != nil || string(tok) != "sealed" || exp.Sub(now.Add(time.Hour)).Abs() > time.Millisecond {
			t.Fatalf("take: %q %v %v", tok, exp, err)
		}
		if _, _, err := s.TakeToken(ctx, id, now); !errors.Is(err, ErrTokenGone) {
			t.Fatalf("second take: %v, want ErrTokenGone", err)
		}
		if _, _, err := s.TakeToken(ctx, old, now); !errors.Is(err, ErrTokenGone) {
			t.Fatalf("expired take: %v, want ErrTokenGone", err)
		}
		if _, _, err := s.TakeToken(ctx, 99999, now); !errors.Is(err, ErrNotFound) {
			t.Fatalf("no outcome: %v", err)
		}
		n, err := s.SweepTokens(ctx, now)
		if err != nil || n != 1 {
			t.Fatalf("sweep: %d %v, want 1", n, err)
		}
		if n := queryInt(t, s, `SELECT COUNT(*) FROM outcomes WHERE sealed_token IS NOT NULL`); n != 0 {
			t.Fatalf("%d sealed tokens left", n)
		}
	})
}

// BenchmarkAddCounts flushes a batch of counts for 1000 distinct links, as the
// link counter does under clicks on random links, on SQLite and PostgreSQL.
func BenchmarkAddCounts(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchAddCounts(b, target{dir: b.TempDir()}) })
	b.Run("postgres", func(b *testing.B) { benchAddCounts(b, target{dir: b.TempDir(), url: pgtest.URL(b)}) })
}

func benchAddCounts(b *testing.B, tg target) {
	ctx := context.Background()
	s := tg.open(b)
	counts := make(map[string]Counts, 1000)
	for i := 0; i < 1000; i++ {
		bk, err := s.CreateBasket(ctx, "", exampleParams)
		if err != nil {
			b.Fatal(err)
		}
		counts[bk.ID] = Counts{Views: 1, Continues: 1}
	}
	batch := byID(b, counts)
	b.ResetTimer()
	for b.Loop() {
		if err := s.AddCounts(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
}
