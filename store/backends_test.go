package store

import (
	"context"
	"testing"

	"basketlink/internal/pgtest"
)

// A target is where one store lives: a data dir and, for PostgreSQL, the URL
// of a database of its own.
type target struct {
	dir, url string
}

func (tg target) postgres() bool { return tg.url != "" }

// open opens the store at tg, closed when the test ends.
func (tg target) open(t testing.TB) Store {
	t.Helper()
	s, err := Open(context.Background(), tg.dir, tg.url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// eachBackend runs test once on SQLite and once on PostgreSQL, each time on a
// fresh, empty database. The PostgreSQL run is skipped when no server is
// configured (see package pgtest).
func eachBackend(t *testing.T, test func(t *testing.T, tg target)) {
	t.Run("sqlite", func(t *testing.T) { test(t, target{dir: t.TempDir()}) })
	t.Run("postgres", func(t *testing.T) { test(t, target{dir: t.TempDir(), url: pgtest.URL(t)}) })
}

// execSQL runs a statement without arguments on the store's database, behind
// the interface, for tests that set up what only another process would do.
func execSQL(t testing.TB, s Store, query string) {
	t.Helper()
	var err error
	switch s := s.(type) {
	case *sqliteStore:
		_, err = s.w.Exec(query)
	case *postgresStore:
		_, err = s.pool.Exec(context.Background(), query)
	default:
		t.Fatalf("execSQL on a %T", s)
	}
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// queryInt runs a query that answers one integer.
func queryInt(t testing.TB, s Store, query string) int64 {
	t.Helper()
	var n int64
	var err error
	switch s := s.(type) {
	case *sqliteStore:
		err = s.r.QueryRow(query).Scan(&n)
	case *postgresStore:
		err = s.pool.QueryRow(context.Background(), query).Scan(&n)
	default:
		t.Fatalf("queryInt on a %T", s)
	}
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// forgetLastPurge makes the next ClaimState purge, as if the last purge was long ago.
func forgetLastPurge(s Store) {
	switch s := s.(type) {
	case *sqliteStore:
		s.lastPurge.Store(0)
	case *postgresStore:
		s.lastPurge.Store(0)
	}
}

// dialect names the store's migration folder.
func dialect(tg target) string {
	if tg.postgres() {
		return "postgres"
	}
	return "sqlite"
}

// byID keys counts by their ids' IDKeys, as AddCounts takes them.
func byID(t testing.TB, counts map[string]Counts) map[IDKey]Counts {
	t.Helper()
	m := make(map[IDKey]Counts, len(counts))
	for id, n := range counts {
		k, ok := KeyOf(id)
		if !ok {
			t.Fatalf("%q is not a basket id", id)
		}
		m[k] = n
	}
	return m
}
