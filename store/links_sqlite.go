package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
	"unsafe"
)

func (s *sqliteStore) Revoke(ctx context.Context, id string, at time.Time) (Basket, error) {
	if !ValidID(id) {
		return Basket{}, ErrNotFound
	}
	if _, err := s.w.ExecContext(ctx, revokeSQL, at.UnixMicro(), id); err != nil {
		return Basket{}, fmt.Errorf("store: revoke %s: %w", id, err)
	}
	return s.Basket(ctx, id)
}

func (s *sqliteStore) Links(ctx context.Context, q LinkQuery) ([]Link, error) {
	query, args := linksQuery(q)
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: links: %w", err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, fmt.Errorf("store: links: %w", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: links: %w", err)
	}
	return out, nil
}

func (s *sqliteStore) Stats(ctx context.Context, id string) (Stats, error) {
	var st Stats
	if err := s.r.QueryRowContext(ctx, statsSQL, id, id).Scan(&st.Views, &st.Continues); err != nil {
		return Stats{}, fmt.Errorf("store: stats of %s: %w", id, err)
	}
	rows, err := s.r.QueryContext(ctx, outcomeByStatusSQL, id)
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats of %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var n int64
		if err := rows.Scan(&status, &n); err != nil {
			return Stats{}, fmt.Errorf("store: stats of %s: %w", id, err)
		}
		st.addStatus(status, n)
	}
	return st, rows.Err()
}

func (s *sqliteStore) AddCounts(ctx context.Context, counts map[IDKey]Counts) error {
	if len(counts) == 0 {
		return nil
	}
	// Few statements for the whole batch (random clicks make it one row per
	// link, tens of thousands every flush), each over a JSON object of up to
	// countsChunk links (see countsJSON), in id order: each link's row is
	// next to the last one's in the B-trees, so the pages are mostly at hand,
	// where map order made every link a fresh walk from the root
	// (BenchmarkAddCounts60k). In chunks, because SQLite holds a statement's
	// parsed JSON in memory of its own, which it keeps.
	rows := countRows(counts)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: add counts: %w", err)
	}
	defer tx.Rollback()
	for chunk := range slices.Chunk(rows, countsChunk) {
		batch, big := countsJSON(chunk)
		// Every link counted was read a moment ago, so the foreign key is
		// almost always met: the chunk goes in without a lookup of each link
		// in baskets, and only when a link has gone since (the statement
		// fails, and writes nothing) again with it.
		if _, err := tx.ExecContext(ctx, addCountsJSONKnownSQL, batch); err != nil {
			if _, err := tx.ExecContext(ctx, addCountsJSONSQL, batch); err != nil {
				return fmt.Errorf("store: add counts: %w", err)
			}
		}
		for _, r := range big {
			if _, err := tx.ExecContext(ctx, addCountSQL, string(r.id[:]), r.n.Views, r.n.Continues); err != nil {
				return fmt.Errorf("store: add counts: %w", err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: add counts: %w", err)
	}
	return nil
}

// countsChunk is how many links one statement of a flush adds to.
const countsChunk = 4096

// countsJSON is the JSON object {"id": views<<32 | continues, ...} of rows,
// in their order, written straight into one buffer (a flush may hold a
// hundred thousand links). SQLite's json_each walks an object's members in
// order and gives each key and number as they are: no JSON is left to take
// apart per link, where reading three elements of a [id, views, continues]
// array per link was a fifth of a flush. A link with a count of 2^31 or more
// (a flood, never a flush of clicks) does not fit the packing: it is left
// out and in big, to be added on its own. Ids are base64url: no escaping.
func countsJSON(rows []countRow) (batch string, big []countRow) {
	b := make([]byte, 0, len(rows)*(IDLength+16)+2)
	b = append(b, '{')
	for _, r := range rows {
		n := r.n
		if n.Views < 0 || n.Continues < 0 || n.Views > math.MaxInt32 || n.Continues > math.MaxInt32 {
			big = append(big, r)
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, r.id[:]...)
		b = append(b, '"', ':')
		b = strconv.AppendInt(b, n.Views<<32|n.Continues, 10)
	}
	b = append(b, '}')
	return unsafe.String(unsafe.SliceData(b), len(b)), big // b is not used again
}

// addCountsJSONKnownSQL is addCountsJSONSQL for links that all exist: an
// unknown one fails the statement (link_counts.basket_id REFERENCES baskets).
const addCountsJSONKnownSQL = `INSERT INTO link_counts (basket_id, views, continues)
	SELECT j.key, j.value >> 32, j.value & 4294967295 FROM json_each(?) AS j WHERE true
	ON CONFLICT (basket_id) DO UPDATE SET views = link_counts.views + excluded.views,
		continues = link_counts.continues + excluded.continues`

// addCountsJSONSQL adds the counts of a JSON object made by countsJSON;
// json_each walks it in its order. Links that do not exist are skipped;
// the WHERE also settles SQLite's reading of ON CONFLICT after a SELECT.
const addCountsJSONSQL = `INSERT INTO link_counts (basket_id, views, continues)
	SELECT j.key, j.value >> 32, j.value & 4294967295 FROM json_each(?) AS j
	WHERE EXISTS (SELECT 1 FROM baskets WHERE id = j.key)
	ON CONFLICT (basket_id) DO UPDATE SET views = link_counts.views + excluded.views,
		continues = link_counts.continues + excluded.continues`

// addCountSQL adds the counts of one link, when it exists.
const addCountSQL = `INSERT INTO link_counts (basket_id, views, continues)
	SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM baskets WHERE id = ?1)
	ON CONFLICT (basket_id) DO UPDATE SET views = link_counts.views + excluded.views,
		continues = link_counts.continues + excluded.continues`

func (s *sqliteStore) TakeToken(ctx context.Context, outcomeID int64, now time.Time) ([]byte, time.Time, error) {
	tx, err := s.w.BeginTx(ctx, nil) // IMMEDIATE: no other writer between the read and the clear
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("store: take token: %w", err)
	}
	defer tx.Rollback()
	var sealed []byte
	var expires sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT sealed_token, token_expires_at FROM outcomes WHERE id = ?`, outcomeID).Scan(&sealed, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, ErrNotFound
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("store: take token: %w", err)
	}
	if len(sealed) == 0 || !expires.Valid || expires.Int64 <= now.UnixMicro() {
		return nil, time.Time{}, ErrTokenGone
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outcomes SET sealed_token = NULL, token_expires_at = NULL WHERE id = ?`, outcomeID); err != nil {
		return nil, time.Time{}, fmt.Errorf("store: take token: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, time.Time{}, fmt.Errorf("store: take token: %w", err)
	}
	return sealed, time.UnixMicro(expires.Int64).UTC(), nil
}

func (s *sqliteStore) SweepTokens(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, sweepSQL, now.UnixMicro())
	if err != nil {
		return 0, fmt.Errorf("store: sweep tokens: %w", err)
	}
	return res.RowsAffected()
}
