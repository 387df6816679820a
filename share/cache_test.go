package share

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

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
			if _, _, _, err := svc.Click(ctx, sv.ID); !errors.Is(err, ErrNotFound) {
				t.Fatalf("a click after the basket went: %v, want ErrNotFound", err)
			}
		})
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
