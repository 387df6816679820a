package store

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Life is how long a link may be used: until ExpiresAt (zero: no end), for
// MaxUses completed callbacks (0: no limit).
type Life struct {
	ExpiresAt time.Time
	MaxUses   int
}

// Link statuses the store can tell; a basket whose contract expired is the
// caller's to judge (see share).
const (
	LinkActive  = "active"
	LinkExpired = "expired"
	LinkUsedUp  = "used_up"
	LinkRevoked = "revoked"
)

// LinkStatus is the link's status at now, judged by its life only: revoked
// before used up before expired.
func (b Basket) LinkStatus(now time.Time) string {
	switch {
	case !b.RevokedAt.IsZero():
		return LinkRevoked
	case b.MaxUses > 0 && b.Completed >= int64(b.MaxUses):
		return LinkUsedUp
	case !b.ExpiresAt.IsZero() && !now.Before(b.ExpiresAt):
		return LinkExpired
	}
	return LinkActive
}

// Counts are views and continues gathered in memory, to be added.
type Counts struct {
	Views, Continues int64
}

// countRow is one link's counts in a flush, its id spelled out.
type countRow struct {
	id [IDLength]byte
	n  Counts
}

// countRows are the counts in the order of their ids as strings, which is
// not the order of their keys' bytes (base64's alphabet is not in ASCII
// order). Rows in id order keep a flush's writes next to each other in the
// B-trees, and two processes flushing at once take their rows' locks in one
// order. The rows hold no pointers and the ids are no strings: a flush of a
// hundred thousand links makes none.
func countRows(counts map[IDKey]Counts) []countRow {
	rows := make([]countRow, 0, len(counts))
	for k, n := range counts {
		r := countRow{n: n}
		base64.RawURLEncoding.Encode(r.id[:], k[:])
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b countRow) int { return bytes.Compare(a.id[:], b.id[:]) })
	return rows
}

// Stats is what happened to one link: views of its review page, continues
// through its short link, and its outcomes by status.
type Stats struct {
	Views, Continues                              int64
	Completed, Cancelled, Refused, Timeout, Error int64
}

// Link is a saved basket with its stats, as Links lists it.
type Link struct {
	Basket
	Stats Stats
}

// LinkQuery asks for one page of links.
type LinkQuery struct {
	Limit int    // 1..MaxLinksPage+1 (one more tells whether there is a next page); 0: MaxLinksPage
	After Cursor // zero: from the newest
	// Label, when set, keeps the links whose label contains it (any case).
	Label string
}

// MaxLinksPage is the most links one Links call returns.
const MaxLinksPage = 100

// Cursor is where a page of links ends: the last link's creation and id.
type Cursor struct {
	CreatedAt time.Time
	ID        string
}

// IsZero reports whether the cursor is the start.
func (c Cursor) IsZero() bool { return c.ID == "" }

// CursorOf is the cursor after l.
func CursorOf(l Link) Cursor { return Cursor{CreatedAt: l.CreatedAt, ID: l.ID} }

// String encodes the cursor for a URL: opaque, base64url.
func (c Cursor) String() string {
	if c.IsZero() {
		return ""
	}
	b := binary.BigEndian.AppendUint64(nil, uint64(c.CreatedAt.UnixMicro()))
	return base64.RawURLEncoding.EncodeToString(append(b, c.ID...))
}

// ParseCursor decodes a cursor made by String.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 8+IDLength || !ValidID(string(b[8:])) {
		return Cursor{}, fmt.Errorf("%w: cursor %q is not one this server gave out", ErrInvalid, s)
	}
	return Cursor{CreatedAt: time.UnixMicro(int64(binary.BigEndian.Uint64(b))).UTC(), ID: string(b[8:])}, nil
}

// limit is how many links to read: up to one more than a page, which is
// how a caller learns whether there is a next page.
func (q LinkQuery) limit() int {
	if q.Limit < 1 {
		return MaxLinksPage
	}
	return min(q.Limit, MaxLinksPage+1)
}

// likePattern is a LIKE pattern matching any text containing s, with LIKE's
// own characters escaped (ESCAPE '\').
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(s)) + "%"
}

// outcomeCount counts one basket's outcomes of one status, b being the basket row.
func outcomeCount(status string) string {
	return `(SELECT COUNT(*) FROM outcomes o WHERE o.basket_id = b.id AND o.status = '` + status + `')`
}

// linkColumns are the columns every basket read selects, from baskets b.
var linkColumns = `b.id, b.label, b.params, b.created_at, b.expires_at, b.max_uses, b.revoked_at,
	CASE WHEN b.max_uses IS NULL THEN 0 ELSE ` + outcomeCount(StatusOK) + ` END`

// statsColumns are the counts of a basket b, with link_counts c joined.
var statsColumns = `COALESCE(c.views, 0), COALESCE(c.continues, 0), ` +
	outcomeCount(StatusOK) + `, ` + outcomeCount(StatusCancelled) + `, ` + outcomeCount(StatusRefused) + `, ` +
	outcomeCount(StatusTimeout) + `, ` + outcomeCount(StatusError)

// linksQuery builds the Links query, with ? placeholders, and its arguments.
func linksQuery(q LinkQuery) (string, []any) {
	var where []string
	var args []any
	if !q.After.IsZero() {
		where = append(where, `(b.created_at < ? OR (b.created_at = ? AND b.id < ?))`)
		us := q.After.CreatedAt.UnixMicro()
		args = append(args, us, us, q.After.ID)
	}
	if q.Label != "" {
		where = append(where, `LOWER(b.label) LIKE ? ESCAPE '\'`)
		args = append(args, likePattern(q.Label))
	}
	sql := `SELECT ` + linkColumns + `, ` + statsColumns + ` FROM baskets b LEFT JOIN link_counts c ON c.basket_id = b.id`
	if len(where) > 0 {
		sql += ` WHERE ` + strings.Join(where, " AND ")
	}
	sql += ` ORDER BY b.created_at DESC, b.id DESC LIMIT ` + strconv.Itoa(q.limit())
	return sql, args
}

// dollars rewrites ? placeholders as PostgreSQL's $1, $2...
func dollars(sql string) string {
	var b strings.Builder
	n := 0
	for _, r := range sql {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// scanner is a row of either database.
type scanner interface{ Scan(dest ...any) error }

// scanBasket reads linkColumns (then more into rest).
func scanBasket(row scanner, rest ...any) (Basket, error) {
	var b Basket
	var created int64
	var expires, maxUses, revoked *int64
	dest := append([]any{&b.ID, &b.Label, &b.Params, &created, &expires, &maxUses, &revoked, &b.Completed}, rest...)
	if err := row.Scan(dest...); err != nil {
		return Basket{}, err
	}
	b.CreatedAt = time.UnixMicro(created).UTC()
	if expires != nil {
		b.ExpiresAt = time.UnixMicro(*expires).UTC()
	}
	if maxUses != nil {
		b.MaxUses = int(*maxUses)
	}
	if revoked != nil {
		b.RevokedAt = time.UnixMicro(*revoked).UTC()
	}
	return b, nil
}

func scanLink(row scanner) (Link, error) {
	var l Link
	s := &l.Stats
	b, err := scanBasket(row, &s.Views, &s.Continues, &s.Completed, &s.Cancelled, &s.Refused, &s.Timeout, &s.Error)
	l.Basket = b
	return l, err
}

// checkLife refuses a life no link may have.
func checkLife(l Life) error {
	if l.MaxUses < 0 {
		return fmt.Errorf("store: %w: max_uses is %d; it must be at least 1", ErrInvalid, l.MaxUses)
	}
	return nil
}

// nullTime is t in unix microseconds, or nil when zero.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

const (
	revokeSQL          = `UPDATE baskets SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`
	statsSQL           = `SELECT ` + `COALESCE((SELECT views FROM link_counts WHERE basket_id = ?), 0), COALESCE((SELECT continues FROM link_counts WHERE basket_id = ?), 0)`
	outcomeByStatusSQL = `SELECT status, COUNT(*) FROM outcomes WHERE basket_id = ? GROUP BY status`
	sweepSQL           = `UPDATE outcomes SET sealed_token = NULL, token_expires_at = NULL
		WHERE sealed_token IS NOT NULL AND (token_expires_at IS NULL OR token_expires_at <= ?)`
	createLinkSQL = `INSERT INTO baskets (id, label, params, created_at, expires_at, max_uses)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`
)

// addStatus adds n outcomes of status to s.
func (s *Stats) addStatus(status string, n int64) {
	switch status {
	case StatusOK:
		s.Completed += n
	case StatusCancelled:
		s.Cancelled += n
	case StatusRefused:
		s.Refused += n
	case StatusTimeout:
		s.Timeout += n
	case StatusError:
		s.Error += n
	}
}
