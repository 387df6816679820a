// Package store keeps saved baskets, the OAuth states already used and the
// outcome of every callback. Handlers never write SQL; they call a Store.
//
// Open selects the implementation: the embedded SQLite database in the data
// directory, or PostgreSQL for a postgres:// URL, which several basketlink
// processes can share. Both run the same tests (store_test.go). Times are kept
// as unix microseconds, the precision both databases share.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Basket is a saved basket. Its legs (Params) never change; its link's life
// (revoked, used up, expired) does.
type Basket struct {
	ID        string
	Label     string
	Params    string // canonical params JSON text
	CreatedAt time.Time
	Life
	RevokedAt time.Time // zero: not revoked
	// Completed is the number of completed outcomes, counted when MaxUses
	// is set (0 otherwise: nothing depends on it).
	Completed int64
}

// Outcome statuses.
const (
	StatusOK        = "ok"
	StatusCancelled = "cancelled"
	StatusRefused   = "refused"
	StatusTimeout   = "timeout"
	StatusError     = "error"
)

// Outcome is what happened at one callback.
type Outcome struct {
	ID          int64
	BasketID    string
	Status      string // one of the Status constants
	HTTPStatus  int    // the broker's status when it answered, else 0
	Message     string // the broker's msg or what went wrong, safe to show
	TokenTail   string // last 4 characters of the access token, "" when none
	SealedToken []byte // the access token sealed with secret.Key.Seal, nil when none
	// TokenExpiresAt is when the sealed token expires and is deleted.
	TokenExpiresAt time.Time
	CreatedAt      time.Time
}

// CreatorSession is a signed-in creator. The cookie holds a random id; the
// store keeps only its hash, and the MAC of the admin token it was opened
// with, so a changed token ends it.
type CreatorSession struct {
	IDHash    string
	TokenMAC  string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Limits on what the store accepts.
const (
	MaxLabelChars   = 200
	MaxParamsBytes  = 64 << 10
	MaxMessageChars = 1000 // longer outcome messages are cut, not refused
	IDLength        = 16   // base64url characters, 96 random bits
)

var (
	// ErrNotFound: no basket with that id.
	ErrNotFound = errors.New("store: not found")
	// ErrStateUsed: the state's nonce was claimed before.
	ErrStateUsed = errors.New("store: state already used")
	// ErrTokenGone: the outcome's token was picked up, expired, or never kept.
	ErrTokenGone = errors.New("store: token gone")
	// ErrInvalid wraps every refusal of the caller's input (a label too
	// long, params that are not JSON, an unknown outcome status...); the
	// error text says which and why.
	ErrInvalid = errors.New("invalid input")
)

// Store is the storage behind basketlink.
type Store interface {
	// CreateBasket saves a basket under a new random id.
	CreateBasket(ctx context.Context, label, params string) (Basket, error)
	// CreateLink saves a basket whose link has a limited life.
	CreateLink(ctx context.Context, label, params string, life Life) (Basket, error)
	// Revoke turns a basket's link off for good (again: no change) and
	// returns the basket, or ErrNotFound.
	Revoke(ctx context.Context, id string, at time.Time) (Basket, error)
	// Links lists saved baskets, newest first, with their counts.
	Links(ctx context.Context, q LinkQuery) ([]Link, error)
	// Stats counts what happened to one basket's link.
	Stats(ctx context.Context, id string) (Stats, error)
	// AddCounts adds views and continues, per basket id (as its IDKey), to
	// the stored counts (counts of several processes add up). Unknown ids
	// are skipped.
	AddCounts(ctx context.Context, counts map[IDKey]Counts) error
	// LinkChanges returns the ids of links whose stored row changed at or
	// after since (by the database's clock): revoked, a completed use counted
	// against max_uses, edited or deleted, by any process. An id may appear
	// more than once. now is the database's clock at the call less
	// ChangeMargin, for the caller's next since: a change whose transaction
	// was still committing during this call is listed by the next one. A
	// zero since means every recorded change.
	LinkChanges(ctx context.Context, since time.Time) (ids []string, now time.Time, err error)
	// PruneLinkChanges forgets the changes recorded before before; it
	// returns how many.
	PruneLinkChanges(ctx context.Context, before time.Time) (int64, error)
	// TakeToken returns an outcome's sealed token and forgets it: once.
	// ErrNotFound: no such outcome; ErrTokenGone: taken, expired or none.
	TakeToken(ctx context.Context, outcomeID int64, now time.Time) ([]byte, time.Time, error)
	// SweepTokens deletes the sealed tokens expired by now; it returns how many.
	SweepTokens(ctx context.Context, now time.Time) (int64, error)
	// Basket returns a saved basket, or ErrNotFound.
	Basket(ctx context.Context, id string) (Basket, error)
	// ClaimState records that the nonce was used; the first claim wins and
	// every later one gets ErrStateUsed. expires is when the state stops
	// being valid anyway, after which the record may be purged.
	ClaimState(ctx context.Context, nonce string, expires time.Time) error
	// RecordOutcome saves the outcome of a callback and returns its id; in
	// the same transaction it writes one webhook event per active endpoint.
	RecordOutcome(ctx context.Context, o Outcome) (int64, error)
	// Outcomes lists a basket's outcomes, oldest first.
	Outcomes(ctx context.Context, basketID string) ([]Outcome, error)
	// CreateSession saves a creator session (and drops expired ones).
	CreateSession(ctx context.Context, s CreatorSession) error
	// Session returns the session with that id hash, or ErrNotFound. The
	// caller checks ExpiresAt against its clock.
	Session(ctx context.Context, idHash string) (CreatorSession, error)
	// DeleteSession ends a session; ending one that does not exist is no error.
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteSessionsExcept ends every session opened with another admin token.
	DeleteSessionsExcept(ctx context.Context, tokenMAC string) error
	// Webhook endpoints and their outbox: RecordOutcome writes one event
	// per active endpoint in the outcome's transaction.
	webhookStore
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	Close() error
}

// Open opens the store: with an empty databaseURL, the SQLite database
// <dataDir>/basketlink.db (dataDir is created with mode 0700); with a
// postgres:// (or postgresql://) URL, that PostgreSQL database. Either way the
// migrations the database lacks are applied first. Errors never repeat the
// URL, which may hold a password.
func Open(ctx context.Context, dataDir, databaseURL string) (Store, error) {
	if databaseURL == "" {
		return openSQLite(ctx, dataDir)
	}
	u, err := url.Parse(databaseURL)
	if err != nil || u.Scheme == "" {
		return nil, errors.New("store: BASKETLINK_DATABASE_URL is not a URL; use postgres://... or leave it empty for the embedded SQLite database")
	}
	switch strings.ToLower(u.Scheme) {
	case "postgres", "postgresql":
		// pgx knows the scheme in lower case only.
		return openPostgres(ctx, strings.ToLower(u.Scheme)+databaseURL[len(u.Scheme):])
	default:
		return nil, fmt.Errorf("store: BASKETLINK_DATABASE_URL has unsupported scheme %q; use postgres://... or leave it empty for the embedded SQLite database", u.Scheme)
	}
}
