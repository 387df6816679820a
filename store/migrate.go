package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the dialect's migrations in order. Files are named
// NNNN_what.sql; the number is the version recorded once applied.
func migrations(dialect string) ([]migration, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("store: migrations for %s: %w", dialect, err)
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if err != nil || v < 1 {
			return nil, fmt.Errorf("store: migration file %s/%s does not start with a version number", dir, e.Name())
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("store: migrations %s and %s share version %d", ms[i-1].name, ms[i].name, ms[i].version)
		}
	}
	return ms, nil
}

// schemaMigrationsDDL creates the table of applied migrations; the same
// statement serves both databases.
const schemaMigrationsDDL = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at BIGINT NOT NULL
)`

// checkNewest refuses a database that a newer basketlink has migrated: this
// one would not know its tables.
func checkNewest(newest int64, ms []migration) error {
	if known := ms[len(ms)-1].version; int(newest) > known {
		return fmt.Errorf("store: the database is at schema version %d, newer than this basketlink knows (%d); use a newer basketlink", newest, known)
	}
	return nil
}

// migrateSQLite applies, in order, every migration not yet recorded in
// schema_migrations, each in its own transaction with its record, so running
// it again (or from a second process at the same time) changes nothing.
// db must begin write transactions immediately (SQLite: _txlock=immediate) so
// that the check and the apply cannot interleave with another process.
// PostgreSQL has its own, migratePostgres.
func migrateSQLite(ctx context.Context, db *sql.DB) error {
	ms, err := migrations("sqlite")
	if err != nil {
		return err
	}
	// In a transaction, which begins IMMEDIATE: it waits (busy_timeout) for
	// another process creating the same database, where a plain statement
	// reading the schema first could be refused at once as a deadlock.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: create schema_migrations: begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, schemaMigrationsDDL); err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	var newest sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&newest); err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: create schema_migrations: commit: %w", err)
	}
	if err := checkNewest(newest.Int64, ms); err != nil {
		return err
	}
	for _, m := range ms {
		if err := applySQLite(ctx, db, m); err != nil {
			return err
		}
	}
	return nil
}

func applySQLite(ctx context.Context, db *sql.DB, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migration %s: begin: %w", m.name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, time.Now().UnixMicro()); err != nil {
		return fmt.Errorf("store: migration %s: record: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: migration %s: commit: %w", m.name, err)
	}
	return nil
}
