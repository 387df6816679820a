package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"modernc.org/sqlite" // driver "sqlite", pure Go
	sqlite3 "modernc.org/sqlite/lib"
)

// DBFileName is the SQLite database inside the data directory.
const DBFileName = "basketlink.db"

// purgeEvery is how often, at most, ClaimState deletes expired nonces, and
// purgeGrace how long past their expiry they are kept (clock skew margin).
const (
	purgeEvery = time.Minute
	purgeGrace = time.Minute
)

// sqliteStore uses two pools on one file: a single writer connection, so
// writes from this process queue in Go instead of failing as busy, and a few
// read-only connections that WAL lets run beside the writer. The busy
// timeout covers a second process on the same file.
type sqliteStore struct {
	w, r      *sql.DB
	getBasket *sql.Stmt    // the hot path of every review page and click
	lastPurge atomic.Int64 // unix microseconds
}

func sqliteDSN(path string, write bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	if write {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

func openSQLite(ctx context.Context, dataDir string) (Store, error) {
	if dataDir == "" {
		return nil, errors.New("store: no data directory given for the SQLite database")
	}
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("store: data directory %s: %w", dataDir, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("store: create data directory: %w", err)
	}
	path := filepath.Join(abs, DBFileName)
	// Create the file 0600 before SQLite does, so that it and the -wal and
	// -shm files SQLite makes after its mode are private to this user.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: create database file: %w", err)
	}
	f.Close()

	w, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := migrateSQLiteRetrying(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("%w (database %s)", err, path)
	}

	r, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("store: open %s for reading: %w", path, err)
	}
	get, err := r.PrepareContext(ctx, `SELECT `+linkColumns+` FROM baskets b WHERE b.id = ?`)
	if err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("store: prepare basket lookup: %w", err)
	}
	return &sqliteStore{w: w, r: r, getBasket: get}, nil
}

// migrateSQLiteRetrying runs the migrations, again when SQLite answers
// "busy" at once: while several processes create one new database file and
// switch it to WAL, SQLite may refuse a transaction without waiting for the
// busy timeout. The migrations are idempotent, so a retry is safe.
func migrateSQLiteRetrying(ctx context.Context, w *sql.DB) error {
	var err error
	for range 50 {
		if err = migrateSQLite(ctx, w); err == nil || !isBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
	return err
}

func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

func (s *sqliteStore) CreateBasket(ctx context.Context, label, params string) (Basket, error) {
	return s.CreateLink(ctx, label, params, Life{})
}

func (s *sqliteStore) CreateLink(ctx context.Context, label, params string, life Life) (Basket, error) {
	if err := checkBasket(label, params); err != nil {
		return Basket{}, err
	}
	if err := checkLife(life); err != nil {
		return Basket{}, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	life.ExpiresAt = life.ExpiresAt.UTC().Truncate(time.Microsecond)
	// 96 random bits make a collision practically impossible; the retry only
	// turns "practically" into "never fails because of it".
	for range 3 {
		id, err := newID()
		if err != nil {
			return Basket{}, err
		}
		res, err := s.w.ExecContext(ctx, createLinkSQL,
			id, label, params, now.UnixMicro(), nullTime(life.ExpiresAt), nullInt(life.MaxUses))
		if err != nil {
			return Basket{}, fmt.Errorf("store: save basket: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return Basket{}, fmt.Errorf("store: save basket: %w", err)
		} else if n == 1 {
			return Basket{ID: id, Label: label, Params: params, CreatedAt: now, Life: life}, nil
		}
	}
	return Basket{}, errors.New("store: save basket: no free id after 3 tries")
}

func (s *sqliteStore) Basket(ctx context.Context, id string) (Basket, error) {
	if !ValidID(id) {
		return Basket{}, ErrNotFound
	}
	b, err := scanBasket(s.getBasket.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Basket{}, ErrNotFound
	}
	if err != nil {
		return Basket{}, fmt.Errorf("store: basket %s: %w", id, err)
	}
	return b, nil
}

func (s *sqliteStore) ClaimState(ctx context.Context, nonce string, expires time.Time) error {
	if nonce == "" {
		return fmt.Errorf("store: %w: empty state nonce", ErrInvalid)
	}
	if expires.IsZero() {
		return fmt.Errorf("store: %w: state nonce without an expiry", ErrInvalid)
	}
	res, err := s.w.ExecContext(ctx,
		`INSERT INTO used_states (nonce, expires_at) VALUES (?, ?) ON CONFLICT (nonce) DO NOTHING`,
		nonce, expires.UnixMicro())
	if err != nil {
		return fmt.Errorf("store: claim state: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: claim state: %w", err)
	}
	s.purge(ctx)
	if n == 0 {
		return ErrStateUsed
	}
	return nil
}

// purge deletes nonces well past their expiry, at most once per purgeEvery.
// A failure only delays the cleanup, so it is not reported.
func (s *sqliteStore) purge(ctx context.Context) {
	now := time.Now()
	last := s.lastPurge.Load()
	if now.UnixMicro()-last < purgeEvery.Microseconds() || !s.lastPurge.CompareAndSwap(last, now.UnixMicro()) {
		return
	}
	_, _ = s.w.ExecContext(ctx, `DELETE FROM used_states WHERE expires_at < ?`, now.Add(-purgeGrace).UnixMicro())
}

func (s *sqliteStore) RecordOutcome(ctx context.Context, o Outcome) (int64, error) {
	if err := checkOutcome(&o); err != nil {
		return 0, err
	}
	if o.CreatedAt.IsZero() {
		o.CreatedAt = time.Now()
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: record outcome: begin: %w", err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO outcomes
		(basket_id, status, http_status, message, token_tail, sealed_token, token_expires_at, created_at)
		SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM baskets WHERE id = ?)
		RETURNING id`,
		o.BasketID, o.Status, o.HTTPStatus, o.Message, o.TokenTail, o.SealedToken, nullTime(o.TokenExpiresAt),
		o.CreatedAt.UnixMicro(), o.BasketID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: record outcome for basket %s: %w", o.BasketID, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("store: record outcome: %w", err)
	}
	// The outbox: one event per active endpoint, due at once.
	if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_events
		(event_id, endpoint_id, outcome_id, type, next_attempt_at, created_at)
		SELECT ? || id, id, ?, ?, ?, ? FROM webhook_endpoints WHERE deleted_at IS NULL`,
		eventIDPrefix(id), id, EventType(o.Status), o.CreatedAt.UnixMicro(), o.CreatedAt.UnixMicro()); err != nil {
		return 0, fmt.Errorf("store: record outcome: webhook events: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: record outcome: commit: %w", err)
	}
	return id, nil
}

func (s *sqliteStore) Outcomes(ctx context.Context, basketID string) ([]Outcome, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, status, http_status, message, token_tail, sealed_token, created_at
		FROM outcomes WHERE basket_id = ? ORDER BY id`, basketID)
	if err != nil {
		return nil, fmt.Errorf("store: outcomes of %s: %w", basketID, err)
	}
	defer rows.Close()
	var out []Outcome
	for rows.Next() {
		o := Outcome{BasketID: basketID}
		var created int64
		if err := rows.Scan(&o.ID, &o.Status, &o.HTTPStatus, &o.Message, &o.TokenTail, &o.SealedToken, &created); err != nil {
			return nil, fmt.Errorf("store: outcomes of %s: %w", basketID, err)
		}
		if len(o.SealedToken) == 0 {
			o.SealedToken = nil
		}
		o.CreatedAt = time.UnixMicro(created).UTC()
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: outcomes of %s: %w", basketID, err)
	}
	return out, nil
}

func (s *sqliteStore) Ping(ctx context.Context) error {
	var one int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&one); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

func (s *sqliteStore) Close() error {
	return errors.Join(s.getBasket.Close(), s.r.Close(), s.w.Close())
}
