package share

import (
	"crypto/rand"
	"encoding/base64"
	"strings"

	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/VictoriaMetrics/fastcache"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"basketlink/contracts"
	"basketlink/internal/pgtest"
	"basketlink/secret"
	"basketlink/state"
	"basketlink/store"
	"basketlink/tradejini"
)

const equityLeg = `[{"exch":"NSE","symbol":"IDEA","series":"EQ","inst":"EQT","qty":1,"side":"buy","type":"limit","product":"intraday","limitPrice":10.5,"validity":"day"}]`

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TestCachedBasketFollowsTheStore: another process (here, a plain database
// connection) removes a saved basket; this one stops serving it within
// Recheck, on either database.
func TestCachedBasketFollowsTheStore(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			dir, dbURL := t.TempDir(), ""
			if backend == "postgres" {
				dbURL = pgtest.URL(t)
			}
			db, err := store.Open(ctx, dir, dbURL)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			key, err := secret.Load(dir, "")
			if err != nil {
				t.Fatal(err)
			}
			c := &clock{t: time.Now()}
			svc := &Service{Store: db, States: &state.Issuer{Key: key, Now: c.now}, Key: key, Now: c.now, Recheck: 5 * time.Second,
				Broker: &tradejini.Client{BaseURL: "https://api.tradejini.com/v2", ClientID: "K", RedirectURI: "https://x.example/callback"}}
			sv, res, err := svc.Save(ctx, "", []byte(equityLeg))
			if err != nil || !res.Valid {
				t.Fatalf("save: %v %+v", err, res.Errors)
			}

			if _, err := svc.Basket(ctx, sv.ID); err != nil { // a read fills the cache, a save does not
				t.Fatal(err)
			}
			removeBasket(t, dir, dbURL, sv.ID)
			if got, err := svc.Basket(ctx, sv.ID); err != nil || got.ID != sv.ID {
				t.Fatalf("within Recheck the cached basket is served: %v", err)
			}
			c.advance(6 * time.Second)
			if _, err := svc.Basket(ctx, sv.ID); !errors.Is(err, ErrNotFound) {
				t.Fatalf("after Recheck: %v, want ErrNotFound", err)
			}
			if _, _, err := svc.Click(ctx, sv.ID); !errors.Is(err, ErrNotFound) {
				t.Fatalf("a click after the basket went: %v, want ErrNotFound", err)
			}
		})
	}
}

// newService is a share.Service on db with its own clock, as one replica.
func newService(db store.Store, key secret.Key, c *clock, cacheSize int) *Service {
	return &Service{Store: db, States: &state.Issuer{Key: key, Now: c.now}, Key: key, Now: c.now, Recheck: 5 * time.Second,
		CacheSize: cacheSize,
		Broker:    &tradejini.Client{BaseURL: "https://api.tradejini.com/v2", ClientID: "K", RedirectURI: "https://x.example/callback"}}
}

// openBoth opens a fresh store on the backend, and its secret key.
func openBoth(t *testing.T, backend string) (store.Store, secret.Key, string, string) {
	t.Helper()
	dir, dbURL := t.TempDir(), ""
	if backend == "postgres" {
		dbURL = pgtest.URL(t)
	}
	db, err := store.Open(context.Background(), dir, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key, err := secret.Load(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	return db, key, dir, dbURL
}

// TestCacheSeesAnotherReplicasChange: two replicas (two Services, their own
// caches) on one database. A change to a link's row made behind the second
// one's back, and a revoke on the first, show through the second's cache
// once Recheck has passed, not before.
func TestCacheSeesAnotherReplicasChange(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			db, key, dir, dbURL := openBoth(t, backend)
			c := &clock{t: time.Now()}
			a, b := newService(db, key, c, 0), newService(db, key, c, 0)
			sv, res, err := a.Save(ctx, "before", []byte(equityLeg))
			if err != nil || !res.Valid {
				t.Fatalf("save: %v %+v", err, res.Errors)
			}
			if got, err := b.Basket(ctx, sv.ID); err != nil || got.Label != "before" {
				t.Fatalf("replica b reads %+v, %v", got, err)
			}
			execSQL(t, dir, dbURL, `UPDATE baskets SET label = 'after' WHERE id = `+placeholder(dbURL), sv.ID)
			c.advance(4 * time.Second)
			if got, err := b.Basket(ctx, sv.ID); err != nil || got.Label != "before" {
				t.Fatalf("within Recheck replica b serves its cached row: %+v, %v", got, err)
			}
			c.advance(2 * time.Second)
			if got, err := b.Basket(ctx, sv.ID); err != nil || got.Label != "after" {
				t.Fatalf("after Recheck replica b sees the change: %+v, %v", got, err)
			}

			// A revoke on replica a: a sees it at once, b within Recheck.
			if got, err := a.Revoke(ctx, sv.ID); err != nil || a.Status(got) != store.LinkRevoked {
				t.Fatalf("revoke on a: %+v, %v", got, err)
			}
			if _, got, err := a.Click(ctx, sv.ID); !errors.Is(err, ErrInactive) || a.Status(got) != store.LinkRevoked {
				t.Fatalf("a click on a after its revoke: %v, want ErrInactive", err)
			}
			if _, _, err := b.Click(ctx, sv.ID); err != nil {
				t.Fatalf("within Recheck b still serves the link it read: %v", err)
			}
			c.advance(6 * time.Second)
			_, got, err := b.Click(ctx, sv.ID)
			if !errors.Is(err, ErrInactive) || got == nil || b.Status(got) != store.LinkRevoked {
				t.Fatalf("after Recheck a click on b: %v, want ErrInactive (revoked)", err)
			}
			if rv, err := b.Basket(ctx, sv.ID); err != nil || b.Status(rv) != store.LinkRevoked || rv.Label != "after" {
				t.Fatalf("after Recheck b's review sees the revoke: %+v, %v", rv, err)
			}
		})
	}
}

// TestCacheIsBounded: saves fill nothing; reading links of more bytes than
// the cache holds (its least, 32 MB) keeps it within its bytes, with fewer
// links than were read, and every read still gets its own link, from the
// cache or the store.
func TestCacheIsBounded(t *testing.T) {
	ctx := context.Background()
	db, key, _, _ := openBoth(t, "sqlite")
	svc := newService(db, key, &clock{t: time.Now()}, 5)
	// Links whose params barely deflate: 24 KB of random text each, some 18 KB
	// cached; 2,000 of them are 36 MB.
	const n = 2000
	ids := make([]string, n)
	for i := range ids {
		noise := make([]byte, 18<<10)
		rand.Read(noise)
		params := fmt.Sprintf(`[{"i":%d,"noise":%q}]`, i, base64.StdEncoding.EncodeToString(noise))
		b, err := db.CreateBasket(ctx, fmt.Sprint("link ", i), params)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = b.ID
	}
	if n := svc.cached(); n != 0 {
		t.Fatalf("after the saves the cache holds %d links, want 0", n)
	}
	var st fastcache.Stats
	for round := range 2 {
		for i, id := range ids {
			sv, err := svc.Basket(ctx, id)
			if err != nil || sv.ID != id || sv.Label != fmt.Sprint("link ", i) || !strings.HasPrefix(sv.Params, fmt.Sprintf(`[{"i":%d,`, i)) {
				t.Fatalf("round %d, link %d: %v", round, i, err)
			}
		}
		st.Reset()
		svc.links().fc.UpdateStats(&st)
		if st.BytesSize > st.MaxBytesSize || st.MaxBytesSize > 32<<20 {
			t.Fatalf("round %d: the cache takes %d bytes of %d, want at most 32 MB", round, st.BytesSize, st.MaxBytesSize)
		}
		if got := svc.cached(); got == 0 || got >= n {
			t.Fatalf("round %d: the cache holds %d links of the %d read", round, got, n)
		}
	}
}

// countingStore counts the reads of baskets and holds them until released.
type countingStore struct {
	store.Store
	reads   atomic.Int64
	release chan struct{}
}

func (s *countingStore) Basket(ctx context.Context, id string) (store.Basket, error) {
	s.reads.Add(1)
	<-s.release
	return s.Store.Basket(ctx, id)
}

// TestConcurrentMissesReadOnce: many requests for one link that is not
// cached, all at once, read the store once between them.
func TestConcurrentMissesReadOnce(t *testing.T) {
	ctx := context.Background()
	db, key, _, _ := openBoth(t, "sqlite")
	cs := &countingStore{Store: db, release: make(chan struct{})}
	svc := newService(cs, key, &clock{t: time.Now()}, 0)
	sv, res, err := svc.Save(ctx, "", []byte(equityLeg))
	if err != nil || !res.Valid {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				_, err = svc.Basket(ctx, sv.ID)
			} else {
				_, _, err = svc.Click(ctx, sv.ID)
			}
			errs <- err
		})
	}
	// Let every request reach the cache and miss while the first read is held.
	for cs.reads.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	close(cs.release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := cs.reads.Load(); got != 1 {
		t.Fatalf("%d concurrent misses read the store %d times, want once", n, got)
	}
}

// placeholder is the first SQL parameter on the database of dbURL.
func placeholder(dbURL string) string {
	if dbURL != "" {
		return "$1"
	}
	return "?"
}

// execSQL runs one statement behind the store's back, as another process would.
func execSQL(t *testing.T, dir, dbURL, query string, args ...any) {
	t.Helper()
	if dbURL != "" {
		conn, err := pgx.Connect(context.Background(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		if tag, err := conn.Exec(context.Background(), query, args...); err != nil || tag.RowsAffected() != 1 {
			t.Fatalf("%s: %v, %d rows", query, err, tag.RowsAffected())
		}
		return
	}
	conn, err := sql.Open("sqlite", filepath.Join(dir, store.DBFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	res, err := conn.Exec(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%s: %d rows", query, n)
	}
}

// removeBasket deletes a basket behind the store's back, as another process would.
func removeBasket(t *testing.T, dir, dbURL, id string) {
	t.Helper()
	if dbURL != "" {
		conn, err := pgx.Connect(context.Background(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), `DELETE FROM baskets WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		return
	}
	conn, err := sql.Open("sqlite", filepath.Join(dir, store.DBFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if res, err := conn.Exec(`DELETE FROM baskets WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	} else if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("deleted %d rows", n)
	}
}

// TestCacheEntrySize: a cached link of two legs takes at most 160 bytes in
// the cache, and under 64 bytes of Go's heap (fastcache's index of it), so
// the default size (250,000 links) stays within the memory the server is
// given. A link kept in an LRU as its row (the params as text, times as
// time.Time) took over 600 bytes of heap.
func TestCacheEntrySize(t *testing.T) {
	ctx := context.Background()
	db, key, _, _ := openBoth(t, "sqlite")
	svc := newService(db, key, &clock{t: time.Now()}, 0)
	const n = 5000
	ids := make([]string, n)
	for i := range ids {
		// Every link its own params, as real ones are: the same text would pack alike anyway.
		legs := fmt.Sprintf(`[{"exch":"NSE","symbol":"SBIN","series":"EQ","inst":"EQT","qty":%d,"side":"buy","type":"limit","product":"intraday","limitPrice":%d.%02d,"validity":"day"},`+
			`{"exch":"NFO","symbol":"NIFTY","expiry":"2099-12-31","optType":"CE","inst":"OPTIDX","strike":"%d","qty":%d,"side":"sell","type":"limit","product":"delivery","limitPrice":%d.05,"validity":"day"}]`,
			1+i%997, 100+i%7919, i%100, 20000+50*(i%300), 75*(1+i%10), 10+i%613)
		b, err := db.CreateBasket(ctx, fmt.Sprint("link ", i), legs)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = b.ID
	}
	heap := func() uint64 {
		runtime.GC()
		runtime.GC() // and what pools held
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	svc.links() // the empty cache is not part of any link
	before := heap()
	for _, id := range ids {
		if _, _, err := svc.Click(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	after := heap()
	if svc.cached() != n {
		t.Fatalf("the cache holds %d links, want %d", svc.cached(), n)
	}
	per := int64(after-before) / n
	var size int
	for _, id := range ids {
		l, err := svc.link(ctx, id, new([]byte), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		size += len(l.encode())
	}
	t.Logf("a cached link: %d bytes in the cache, %d of heap", size/n, per)
	if size/n > 160 || per > 64 {
		t.Fatalf("a cached link takes %d bytes in the cache and %d of heap, want at most 160 and 64", size/n, per)
	}
	runtime.KeepAlive(svc)
}

// TestListAgreesWithReview: the owner's list gives a link the status its
// review page gives, even when the server now judges legs by an instrument
// master the link was not saved against (the legs are not validated again).
func TestListAgreesWithReview(t *testing.T) {
	ctx := context.Background()
	db, key, _, _ := openBoth(t, "sqlite")
	svc := newService(db, key, &clock{t: time.Now()}, 0)
	id := saveLink(t, svc, store.Life{})
	master, err := contracts.Load(strings.NewReader("exch,symbol,series,inst,expiry,opt_type,strike,lot_size,tick_size\nNSE,SBIN,EQ,EQT,,,,1,0.05\n"), "master.csv")
	if err != nil {
		t.Fatal(err)
	}
	svc.Contracts = master // IDEA is not in it
	sv, err := svc.Basket(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	ls, _, err := svc.Links(ctx, store.LinkQuery{})
	if err != nil || len(ls) != 1 {
		t.Fatalf("links: %+v, %v", ls, err)
	}
	if got, want := ls[0].Status, svc.Status(sv); got != want || got != store.LinkActive {
		t.Fatalf("the list says %q, the review page %q; want both %q", got, want, store.LinkActive)
	}
}

// TestLinksFullPage: a page of the most links a page holds still says
// there is a next one (one more is asked of the store to tell).
func TestLinksFullPage(t *testing.T) {
	ctx := context.Background()
	db, key, _, _ := openBoth(t, "sqlite")
	svc := newService(db, key, &clock{t: time.Now()}, 0)
	for range store.MaxLinksPage + 1 {
		saveLink(t, svc, store.Life{})
	}
	page, next, err := svc.Links(ctx, store.LinkQuery{Limit: store.MaxLinksPage})
	if err != nil || len(page) != store.MaxLinksPage || next == "" {
		t.Fatalf("first page: %d links, next %q, %v", len(page), next, err)
	}
	cur, err := store.ParseCursor(next)
	if err != nil {
		t.Fatal(err)
	}
	rest, next, err := svc.Links(ctx, store.LinkQuery{Limit: store.MaxLinksPage, After: cur})
	if err != nil || len(rest) != 1 || next != "" {
		t.Fatalf("second page: %d links, next %q, %v", len(rest), next, err)
	}
}
