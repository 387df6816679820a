// Package pgtest gives each test its own empty PostgreSQL database.
//
// BASKETLINK_TEST_DATABASE_URL names a server and a database to connect to
// for creating others (postgres://postgres@/postgres?host=/tmp/dir for a unix
// socket). Without it a test that calls URL is skipped, unless
// BASKETLINK_REQUIRE_POSTGRES=1, which makes a missing server a failure (CI
// sets both; see .ci/run).
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Available reports whether a PostgreSQL server is configured for tests.
func Available() bool { return os.Getenv("BASKETLINK_TEST_DATABASE_URL") != "" }

// Require skips the test when no server is configured, or fails it when
// BASKETLINK_REQUIRE_POSTGRES=1.
func Require(t testing.TB) {
	t.Helper()
	if Available() {
		return
	}
	if os.Getenv("BASKETLINK_REQUIRE_POSTGRES") == "1" {
		t.Fatal("BASKETLINK_REQUIRE_POSTGRES=1 but BASKETLINK_TEST_DATABASE_URL is not set")
	}
	t.Skip("no PostgreSQL for tests: set BASKETLINK_TEST_DATABASE_URL (and BASKETLINK_REQUIRE_POSTGRES=1 to make this a failure)")
}

// URL creates a fresh database for the test, dropped when the test ends, and
// returns its URL. Tests in parallel packages each get their own. Without a
// server it acts as Require.
func URL(t testing.TB) string {
	t.Helper()
	Require(t)
	admin := os.Getenv("BASKETLINK_TEST_DATABASE_URL")
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal("BASKETLINK_TEST_DATABASE_URL is not a URL")
	}
	raw := make([]byte, 8)
	rand.Read(raw)
	name := "basketlink_test_" + hex.EncodeToString(raw)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("pgtest: connect to the test server: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("pgtest: connect to drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}
