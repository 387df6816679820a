package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The canonical params of the documented three-leg example.
const exampleParams = `[{"exch":"NSE","symbol":"IDEA","series":"EQ","inst":"EQT","qty":1,"side":"buy","type":"limit","product":"intraday","limitPrice":10.5,"validity":"day"}]`

// openTest opens the SQLite store in dir, for the tests of SQLite alone.
func openTest(t testing.TB, dir string) Store {
	t.Helper()
	return target{dir: dir}.open(t)
}

func TestCreateAndGetBasket(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		before := time.Now().Add(-time.Second)
		b, err := s.CreateBasket(ctx, "Nifty weekly hedge", exampleParams)
		if err != nil {
			t.Fatal(err)
		}
		if b.Label != "Nifty weekly hedge" || b.Params != exampleParams || b.CreatedAt.Before(before) || b.CreatedAt.After(time.Now()) {
			t.Fatalf("created %+v", b)
		}
		got, err := s.Basket(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got != b {
			t.Fatalf("Basket = %+v, want %+v", got, b)
		}
		if got.CreatedAt.Location() != time.UTC {
			t.Errorf("CreatedAt in %v, want UTC", got.CreatedAt.Location())
		}

		unlabelled, err := s.CreateBasket(ctx, "", exampleParams)
		if err != nil || unlabelled.Label != "" || unlabelled.ID == b.ID {
			t.Fatalf("empty label: %+v %v", unlabelled, err)
		}
	})
}

func TestBasketNotFound(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		s := tg.open(t)
		for _, id := range []string{"AAAAAAAAAAAAAAAA", "", "short", "'; DROP TABLE x", strings.Repeat("a", 1000)} {
			if _, err := s.Basket(context.Background(), id); !errors.Is(err, ErrNotFound) {
				t.Errorf("Basket(%q): %v, want ErrNotFound", id, err)
			}
		}
	})
}

func TestBasketIDs(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		re := regexp.MustCompile(`^[A-Za-z0-9_-]{16}$`)
		seen := map[string]bool{}
		for range 500 {
			b, err := s.CreateBasket(ctx, "", exampleParams)
			if err != nil {
				t.Fatal(err)
			}
			if !re.MatchString(b.ID) || !ValidID(b.ID) {
				t.Fatalf("id %q is not 16 base64url characters", b.ID)
			}
			if seen[b.ID] {
				t.Fatalf("id %q generated twice", b.ID)
			}
			seen[b.ID] = true
		}
		for _, bad := range []string{"", "AAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAA=", "AAAAAAAAAAAAAAA+", "AAAAAAAAAAAAAAA/", "AAAAAAAAAAAAAAA."} {
			if ValidID(bad) {
				t.Errorf("ValidID(%q) = true", bad)
			}
		}
	})
}

func TestCreateBasketRefuses(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		s := tg.open(t)
		tests := []struct {
			name, label, params, want string
		}{
			{"label too long", strings.Repeat("é", MaxLabelChars+1), exampleParams, "label has 201 characters; at most 200"},
			{"label invalid utf-8", "bad \xff label", exampleParams, "not valid UTF-8"},
			{"label control char", "line\nbreak", exampleParams, "control character"},
			{"params empty", "x", "", "params are empty"},
			{"params not JSON", "x", "[{", "not valid JSON"},
			{"params too big", "x", `"` + strings.Repeat("a", MaxParamsBytes) + `"`, "at most 65536"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.CreateBasket(context.Background(), tt.label, tt.params)
				if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want ErrInvalid saying %q", err, tt.want)
				}
			})
		}
		if _, err := s.CreateBasket(context.Background(), strings.Repeat("é", MaxLabelChars), exampleParams); err != nil {
			t.Fatalf("label of exactly %d characters: %v", MaxLabelChars, err)
		}
	})
}

func TestPersistsAcrossReopen(t *testing.T) {
	eachBackend(t, testPersistsAcrossReopen)
}

func testPersistsAcrossReopen(t *testing.T, tg target) {
	ctx := context.Background()
	dir := filepath.Join(tg.dir, "data")
	s, err := Open(ctx, dir, tg.url)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.CreateBasket(ctx, "kept", exampleParams)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordOutcome(ctx, Outcome{BasketID: b.ID, Status: StatusOK, HTTPStatus: 200, TokenTail: "wxyz"}); err != nil {
		t.Fatal(err)
	}
	if err := s.ClaimState(ctx, "nonce-1", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	if !tg.postgres() {
		for _, f := range []string{dir, filepath.Join(dir, DBFileName)} {
			info, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if perm := info.Mode().Perm(); perm&0o077 != 0 {
				t.Errorf("%s has mode %04o, want no group/other access", f, perm)
			}
		}
	}

	s2 := target{dir: dir, url: tg.url}.open(t)
	got, err := s2.Basket(ctx, b.ID)
	if err != nil || got != b {
		t.Fatalf("after reopen: %+v %v, want %+v", got, err, b)
	}
	outs, err := s2.Outcomes(ctx, b.ID)
	if err != nil || len(outs) != 1 || outs[0].TokenTail != "wxyz" {
		t.Fatalf("outcomes after reopen: %+v %v", outs, err)
	}
	if err := s2.ClaimState(ctx, "nonce-1", time.Now().Add(time.Hour)); !errors.Is(err, ErrStateUsed) {
		t.Fatalf("claim after reopen: %v, want ErrStateUsed", err)
	}
}

func TestMigrationsIdempotent(t *testing.T) {
	eachBackend(t, testMigrationsIdempotent)
}

func testMigrationsIdempotent(t *testing.T, tg target) {
	ctx := context.Background()
	for i := range 3 {
		s, err := Open(ctx, tg.dir, tg.url)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	st := tg.open(t)
	ms, err := migrations(dialect(tg))
	if err != nil || len(ms) == 0 {
		t.Fatalf("migrations: %v", err)
	}
	n := queryInt(t, st, `SELECT COUNT(*) FROM schema_migrations`)
	newest := queryInt(t, st, `SELECT MAX(version) FROM schema_migrations`)
	if n != int64(len(ms)) || newest != int64(ms[len(ms)-1].version) {
		t.Fatalf("schema_migrations holds %d rows up to %d, want %d up to %d", n, newest, len(ms), ms[len(ms)-1].version)
	}
	if tg.postgres() {
		return
	}
	s := st.(*sqliteStore)
	var mode string
	if err := s.r.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode %q %v, want wal", mode, err)
	}
	var fk int
	if err := s.w.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys %d %v, want 1", fk, err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		s := tg.open(t)
		execSQL(t, s, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future.sql', 0)`)
		s.Close()
		_, err := Open(context.Background(), tg.dir, tg.url)
		if err == nil || !strings.Contains(err.Error(), "newer than this basketlink") {
			t.Fatalf("Open on a newer schema: %v", err)
		}
	})
}

func TestOpenDatabaseURL(t *testing.T) {
	ctx := context.Background()
	const secretPart = "hunter2-password"
	tests := []struct{ url, want string }{
		{"postgres://user:" + secretPart + "@127.0.0.1:1/basketlink?connect_timeout=5", "connect to PostgreSQL"},
		{"postgresql://user:" + secretPart + "@127.0.0.1:1/basketlink?sslmode=disable", "connect to PostgreSQL"},
		{"POSTGRES://user:" + secretPart + "@127.0.0.1:1/x", "connect to PostgreSQL"},
		{"postgres://user:" + secretPart + "@127.0.0.1:notaport/x", "not a URL"},
		{"postgres://user:" + secretPart + "@127.0.0.1/x?sslmode=sometimes", "not a valid PostgreSQL connection URL"},
		{"mysql://user:" + secretPart + "@db/x", `unsupported scheme "mysql"`},
		{"sqlite:///tmp/x.db", `unsupported scheme "sqlite"`},
		{"/var/lib/" + secretPart, "not a URL"},
		{"::" + secretPart, "not a URL"},
	}
	for _, tt := range tests {
		s, err := Open(ctx, t.TempDir(), tt.url)
		if err == nil {
			s.Close()
			t.Fatalf("Open(%q) succeeded", tt.url)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Open(%q): %v, want it to say %q", tt.url, err, tt.want)
		}
		if strings.Contains(err.Error(), secretPart) {
			t.Errorf("Open(%q): error repeats the URL: %v", tt.url, err)
		}
	}
	if _, err := Open(ctx, "", ""); err == nil {
		t.Fatal("Open without a data dir succeeded")
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	if _, err := Open(ctx, file, ""); err == nil {
		t.Fatal("Open with a file as data dir succeeded")
	}
}

func TestPing(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		if err := s.Ping(ctx); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.Ping(cancelled); err == nil {
			t.Fatal("Ping with a cancelled context succeeded")
		}
		s.Close()
		if err := s.Ping(ctx); err == nil {
			t.Fatal("Ping after Close succeeded")
		}
	})
}

func BenchmarkBasket(b *testing.B) {
	ctx := context.Background()
	s := openTest(b, b.TempDir())
	ids := make([]string, 1000)
	for i := range ids {
		bk, err := s.CreateBasket(ctx, fmt.Sprintf("basket %d", i), exampleParams)
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = bk.ID
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := s.Basket(ctx, ids[i%len(ids)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkBasketParallel(b *testing.B) {
	ctx := context.Background()
	s := openTest(b, b.TempDir())
	ids := make([]string, 1000)
	for i := range ids {
		bk, err := s.CreateBasket(ctx, "", exampleParams)
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = bk.ID
	}
	var mu sync.Mutex
	next := 0
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		mu.Lock()
		i := next
		next += 7
		mu.Unlock()
		for pb.Next() {
			if _, err := s.Basket(ctx, ids[i%len(ids)]); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}

// Several processes starting at once on a fresh data dir: the migrations run
// once and every Open succeeds.
func TestConcurrentFirstOpens(t *testing.T) {
	eachBackend(t, testConcurrentFirstOpens)
}

func testConcurrentFirstOpens(t *testing.T, tg target) {
	ctx := context.Background()
	stores := make([]Store, 4)
	errs := make([]error, len(stores))
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = Open(ctx, tg.dir, tg.url) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	b, err := stores[0].CreateBasket(ctx, "shared", exampleParams)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := stores[3].Basket(ctx, b.ID); err != nil || got != b {
		t.Fatalf("basket from another handle: %+v %v", got, err)
	}
	ms, _ := migrations(dialect(tg))
	if n := queryInt(t, stores[1], `SELECT COUNT(*) FROM schema_migrations`); n != int64(len(ms)) {
		t.Fatalf("%d migration rows, want %d", n, len(ms))
	}
}

// The data dir path goes into a file: URI; odd characters must not cut it.
func TestOpenOddDirName(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "my data?x=1#frag %20é")
	s := openTest(t, dir)
	b, err := s.CreateBasket(ctx, "", exampleParams)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(filepath.Join(dir, DBFileName)); err != nil {
		t.Fatalf("database not at %s: %v", dir, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Fatalf("%d entries beside the data dir, want 1 (a stray database file?)", len(entries))
	}
	if _, err := openTest(t, dir).Basket(ctx, b.ID); err != nil {
		t.Fatalf("reopen: %v", err)
	}
}
