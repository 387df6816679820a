package share

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"basketlink/store"
)

// readCounter counts the basket reads of a store.
type readCounter struct {
	store.Store
	reads atomic.Int64
}

func (s *readCounter) Basket(ctx context.Context, id string) (store.Basket, error) {
	s.reads.Add(1)
	return s.Store.Basket(ctx, id)
}

// TestChangeFeedReachesTheCache: two replicas on one database. While b reads
// the change feed it serves its cached links without reading the store, for
// longer than Recheck; what a, or a hand edit, changes about a link reaches
// b's cache at b's next poll, not before: a revoke, a completed use of a
// max_uses link, an edited label, a removed basket.
func TestChangeFeedReachesTheCache(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			db, key, dir, dbURL := openBoth(t, backend)
			c := &clock{t: time.Now()}
			rc := &readCounter{Store: db}
			a, b := newService(db, key, c, 0), newService(rc, key, c, 0)
			// b polls once now, then every hour: the test polls in between by hand.
			done := make(chan struct{})
			go func() { defer close(done); b.WatchChanges(ctx, time.Hour) }()
			defer func() { cancel(); <-done }()
			for b.cache.polled.Load() == 0 {
				time.Sleep(time.Millisecond)
			}

			revoked := saveLink(t, a, store.Life{})
			once := saveLink(t, a, store.Life{MaxUses: 1})
			edited := saveLink(t, a, store.Life{})
			removed := saveLink(t, a, store.Life{})
			for _, id := range []string{revoked, once, edited, removed} {
				if _, _, err := b.Click(ctx, id); err != nil {
					t.Fatalf("first click on b: %v", err)
				}
			}
			reads := rc.reads.Load()
			c.advance(time.Minute) // past Recheck: the feed is what b trusts
			for _, id := range []string{revoked, once, edited, removed} {
				if _, _, err := b.Click(ctx, id); err != nil {
					t.Fatalf("a click on b a minute later: %v", err)
				}
			}
			if got := rc.reads.Load(); got != reads {
				t.Fatalf("b read the store %d more times while its feed was fresh", got-reads)
			}

			if _, err := a.Revoke(ctx, revoked); err != nil {
				t.Fatal(err)
			}
			if _, err := db.RecordOutcome(ctx, store.Outcome{BasketID: once, Status: store.StatusOK}); err != nil {
				t.Fatal(err)
			}
			execSQL(t, dir, dbURL, `UPDATE baskets SET label = 'after' WHERE id = `+placeholder(dbURL), edited)
			removeBasket(t, dir, dbURL, removed)
			for _, id := range []string{revoked, once, removed} {
				if _, _, err := b.Click(ctx, id); err != nil {
					t.Fatalf("before b's next poll its cached link is served: %v", err)
				}
			}

			if err := b.PollChanges(ctx); err != nil {
				t.Fatal(err)
			}
			if _, sv, err := b.Click(ctx, revoked); !errors.Is(err, ErrInactive) || b.Status(sv) != store.LinkRevoked {
				t.Fatalf("after the poll, the revoked link: %v", err)
			}
			if _, sv, err := b.Click(ctx, once); !errors.Is(err, ErrInactive) || b.Status(sv) != store.LinkUsedUp {
				t.Fatalf("after the poll, the used-up link: %v", err)
			}
			if sv, err := b.Basket(ctx, edited); err != nil || sv.Label != "after" {
				t.Fatalf("after the poll, the edited link: %+v, %v", sv, err)
			}
			if _, _, err := b.Click(ctx, removed); !errors.Is(err, ErrNotFound) {
				t.Fatalf("after the poll, the removed link: %v, want ErrNotFound", err)
			}

			// A poll names a change again for a while (the margin for late
			// commits): each time the link is read once more, and stays right.
			if err := b.PollChanges(ctx); err != nil {
				t.Fatal(err)
			}
			if _, sv, err := b.Click(ctx, revoked); !errors.Is(err, ErrInactive) || b.Status(sv) != store.LinkRevoked {
				t.Fatalf("after a second poll, the revoked link: %v", err)
			}
		})
	}
}

// TestStaleFeedFallsBackToRecheck: while the feed was read within three
// polls, a cached link is served past Recheck; once the last good poll is
// older than that, a link older than Recheck is read again, as without a feed.
func TestStaleFeedFallsBackToRecheck(t *testing.T) {
	ctx := context.Background()
	db, key, _, _ := openBoth(t, "sqlite")
	c := &clock{t: time.Now()}
	rc := &readCounter{Store: db}
	svc := newService(rc, key, c, 0)
	id := saveLink(t, svc, store.Life{})
	if _, _, err := svc.Click(ctx, id); err != nil {
		t.Fatal(err)
	}
	// As WatchChanges does: polls every 2 s, the last one now.
	svc.cache.pollEach.Store(int64(2 * time.Second))
	polled := func() { svc.cache.polled.Store(c.now().UnixNano()) }
	clickReads := func() int64 {
		t.Helper()
		before := rc.reads.Load()
		if _, _, err := svc.Click(ctx, id); err != nil {
			t.Fatal(err)
		}
		return rc.reads.Load() - before
	}
	c.advance(time.Minute) // past Recheck (5 s)
	polled()
	c.advance(5 * time.Second) // within three polls of the last one
	if n := clickReads(); n != 0 {
		t.Fatalf("with a fresh feed the click read the store %d times", n)
	}
	c.advance(2 * time.Second) // 7 s since the last poll: the feed is stale
	if n := clickReads(); n != 1 {
		t.Fatalf("with a stale feed a link older than Recheck was read %d times, want once", n)
	}
	if n := clickReads(); n != 0 {
		t.Fatalf("the link just read was read again (%d)", n)
	}
}

// saveLink saves a one-leg basket through svc and returns its id.
func saveLink(t *testing.T, svc *Service, life store.Life) string {
	t.Helper()
	sv, res, err := svc.SaveLink(context.Background(), "before", []byte(equityLeg), life)
	if err != nil || !res.Valid {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	return sv.ID
}
