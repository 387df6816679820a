package store

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrationLock is the advisory lock key that serialises migrations of one
// PostgreSQL database ("basketlk" in ASCII).
const migrationLock int64 = 0x6261736b65746c6b

// pgForeignKeyViolation is PostgreSQL's SQLSTATE for a missing referenced row.
const pgForeignKeyViolation = "23503"

// postgresStore keeps everything in one PostgreSQL database that several
// basketlink processes may share: every rule that must hold across them (a
// state claimed once, a basket id used once) is a database constraint.
type postgresStore struct {
	pool      *pgxpool.Pool
	lastPurge atomic.Int64 // unix microseconds
}

// openPostgres connects to databaseURL and migrates the database. Errors
// never repeat the URL, which may hold a password.
func openPostgres(ctx context.Context, databaseURL string) (Store, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		// pgx's message quotes the URL; say only what kind of problem it is.
		return nil, errors.New("store: BASKETLINK_DATABASE_URL is not a valid PostgreSQL connection URL (postgres://user:password@host:port/database?sslmode=...)")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: PostgreSQL: %w", err)
	}
	if err := migratePostgres(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("%w (PostgreSQL database %s on %s)", err, cfg.ConnConfig.Database, cfg.ConnConfig.Host)
	}
	if err := leaveRoomInLinkCounts(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("%w (PostgreSQL database %s on %s)", err, cfg.ConnConfig.Database, cfg.ConnConfig.Host)
	}
	return &postgresStore{pool: pool}, nil
}

// leaveRoomInLinkCounts keeps half of each page of link_counts free
// (fillfactor 50). Every count flush updates tens of thousands of its rows:
// with room on the page, an update writes the row's new version beside the
// old one and leaves the primary key's index alone (a HOT update), where on
// full pages every update also went into the index, and autovacuum had the
// table and its index to clean after each flush (measured on 200,000 links
// clicked at random: a third less of PostgreSQL's CPU per click). It is a
// storage setting, not a change of schema, so it is made here, once, and
// not as a migration: a database with it still opens with an older
// basketlink. It applies to pages written from then on; an existing table
// gets there as it is updated and vacuumed (or at once with VACUUM FULL).
func leaveRoomInLinkCounts(ctx context.Context, pool *pgxpool.Pool) error {
	var set bool
	err := pool.QueryRow(ctx, `SELECT COALESCE('fillfactor=50' = ANY(reloptions), false) FROM pg_class WHERE oid = 'link_counts'::regclass`).Scan(&set)
	if err == nil && !set {
		_, err = pool.Exec(ctx, `ALTER TABLE link_counts SET (fillfactor = 50)`)
	}
	if err != nil {
		return fmt.Errorf("store: leave room in link_counts: %w", err)
	}
	return nil
}

// migratePostgres applies every migration not yet recorded in one
// transaction that first takes a transaction-level advisory lock: a second
// process starting at the same moment waits for the lock, then finds the
// work done. DDL is transactional in PostgreSQL, so a failing migration
// leaves the database as it was.
func migratePostgres(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := migrations("postgres")
	if err != nil {
		return err
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store: connect to PostgreSQL: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("store: lock for migrations: %w", err)
	}
	if _, err := tx.Exec(ctx, schemaMigrationsDDL); err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	applied, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	done := map[int64]bool{}
	var newest int64
	for _, v := range applied {
		done[v] = true
		newest = max(newest, v)
	}
	if err := checkNewest(newest, ms); err != nil {
		return err
	}
	for _, m := range ms {
		if done[int64(m.version)] {
			continue
		}
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			m.version, m.name, time.Now().UnixMicro()); err != nil {
			return fmt.Errorf("store: migration %s: record: %w", m.name, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store: migrations: commit: %w", err)
	}
	return nil
}

func (s *postgresStore) CreateBasket(ctx context.Context, label, params string) (Basket, error) {
	return s.CreateLink(ctx, label, params, Life{})
}

func (s *postgresStore) CreateLink(ctx context.Context, label, params string, life Life) (Basket, error) {
	if err := checkBasket(label, params); err != nil {
		return Basket{}, err
	}
	if err := checkLife(life); err != nil {
		return Basket{}, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	life.ExpiresAt = life.ExpiresAt.UTC().Truncate(time.Microsecond)
	for range 3 { // see sqliteStore.CreateLink
		id, err := newID()
		if err != nil {
			return Basket{}, err
		}
		tag, err := s.pool.Exec(ctx, dollars(createLinkSQL),
			id, label, params, now.UnixMicro(), nullTime(life.ExpiresAt), nullInt(life.MaxUses))
		if err != nil {
			return Basket{}, fmt.Errorf("store: save basket: %w", err)
		}
		if tag.RowsAffected() == 1 {
			return Basket{ID: id, Label: label, Params: params, CreatedAt: now, Life: life}, nil
		}
	}
	return Basket{}, errors.New("store: save basket: no free id after 3 tries")
}

// basketSQL reads one basket, on the path of every review page and click.
var basketSQL = dollars(`SELECT ` + linkColumns + ` FROM baskets b WHERE b.id = ?`)

func (s *postgresStore) Basket(ctx context.Context, id string) (Basket, error) {
	if !ValidID(id) {
		return Basket{}, ErrNotFound
	}
	b, err := scanBasket(s.pool.QueryRow(ctx, basketSQL, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Basket{}, ErrNotFound
	}
	if err != nil {
		return Basket{}, fmt.Errorf("store: basket %s: %w", id, err)
	}
	return b, nil
}

func (s *postgresStore) ClaimState(ctx context.Context, nonce string, expires time.Time) error {
	if nonce == "" {
		return fmt.Errorf("store: %w: empty state nonce", ErrInvalid)
	}
	if expires.IsZero() {
		return fmt.Errorf("store: %w: state nonce without an expiry", ErrInvalid)
	}
	// The primary key decides: of any number of processes inserting one
	// nonce at once, exactly one inserts a row.
	tag, err := s.pool.Exec(ctx,
		`INSERT INTO used_states (nonce, expires_at) VALUES ($1, $2) ON CONFLICT (nonce) DO NOTHING`,
		nonce, expires.UnixMicro())
	if err != nil {
		return fmt.Errorf("store: claim state: %w", err)
	}
	s.purge(ctx)
	if tag.RowsAffected() == 0 {
		return ErrStateUsed
	}
	return nil
}

// purge deletes nonces well past their expiry, at most once per purgeEvery
// per process. A failure only delays the cleanup, so it is not reported.
func (s *postgresStore) purge(ctx context.Context) {
	now := time.Now()
	last := s.lastPurge.Load()
	if now.UnixMicro()-last < purgeEvery.Microseconds() || !s.lastPurge.CompareAndSwap(last, now.UnixMicro()) {
		return
	}
	_, _ = s.pool.Exec(ctx, `DELETE FROM used_states WHERE expires_at < $1`, now.Add(-purgeGrace).UnixMicro())
}

func (s *postgresStore) RecordOutcome(ctx context.Context, o Outcome) (int64, error) {
	if err := checkOutcome(&o); err != nil {
		return 0, err
	}
	if o.CreatedAt.IsZero() {
		o.CreatedAt = time.Now()
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: record outcome: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO outcomes
		(basket_id, status, http_status, message, token_tail, sealed_token, token_expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		o.BasketID, o.Status, o.HTTPStatus, o.Message, o.TokenTail, o.SealedToken, nullTime(o.TokenExpiresAt),
		o.CreatedAt.UnixMicro()).Scan(&id)
	if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) && pe.Code == pgForeignKeyViolation {
		return 0, fmt.Errorf("store: record outcome for basket %s: %w", o.BasketID, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("store: record outcome: %w", err)
	}
	// The outbox: one event per active endpoint, due at once.
	if _, err := tx.Exec(ctx, `INSERT INTO webhook_events
		(event_id, endpoint_id, outcome_id, type, next_attempt_at, created_at)
		SELECT $1 || id, id, $2, $3, $4, $4 FROM webhook_endpoints WHERE deleted_at IS NULL`,
		eventIDPrefix(id), id, EventType(o.Status), o.CreatedAt.UnixMicro()); err != nil {
		return 0, fmt.Errorf("store: record outcome: webhook events: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("store: record outcome: commit: %w", err)
	}
	return id, nil
}

func (s *postgresStore) Outcomes(ctx context.Context, basketID string) ([]Outcome, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, status, http_status, message, token_tail, sealed_token, created_at
		FROM outcomes WHERE basket_id = $1 ORDER BY id`, basketID)
	if err != nil {
		return nil, fmt.Errorf("store: outcomes of %s: %w", basketID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Outcome, error) {
		o := Outcome{BasketID: basketID}
		var created int64
		err := row.Scan(&o.ID, &o.Status, &o.HTTPStatus, &o.Message, &o.TokenTail, &o.SealedToken, &created)
		if len(o.SealedToken) == 0 {
			o.SealedToken = nil
		}
		o.CreatedAt = time.UnixMicro(created).UTC()
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: outcomes of %s: %w", basketID, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func (s *postgresStore) Ping(ctx context.Context) error {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

func (s *postgresStore) Close() error {
	s.pool.Close()
	return nil
}
