package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
)

// BackupSQLite writes a consistent copy of the SQLite database in dataDir to
// the new file to (mode 0600), with VACUUM INTO: one read transaction, so it
// is safe while serve writes, and the copy is compact and complete without
// its -wal file. An existing file at to is never overwritten. PostgreSQL
// databases are backed up with pg_dump instead.
func BackupSQLite(ctx context.Context, dataDir, to string) error {
	src := filepath.Join(dataDir, DBFileName)
	if _, err := os.Stat(src); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("store: backup: no database at %s (is --data-dir right?)", src)
		}
		return fmt.Errorf("store: backup: %w", err)
	}
	// Created here, exclusively and private: the copy holds sealed tokens.
	f, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("store: backup: %s already exists; choose a new file name (a backup never overwrites)", to)
	}
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	f.Close()
	ok := false
	defer func() {
		if !ok {
			os.Remove(to)
		}
	}()

	// Not query_only: SQLite counts VACUUM INTO as a write, though it changes
	// nothing in src.
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	dsn := url.URL{Scheme: "file", Path: filepath.ToSlash(src), RawQuery: q.Encode()}
	db, err := sql.Open("sqlite", dsn.String())
	if err != nil {
		return fmt.Errorf("store: backup: open %s: %w", src, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, to); err != nil {
		return fmt.Errorf("store: backup of %s: %w", src, err)
	}
	ok = true
	return nil
}
