// Package share is the life of a shared basket link: saving a basket, the
// click on its short link (a fresh OAuth state per click) and the callback
// that checks the state, exchanges the code and records the outcome.
package share

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"basketlink/basket"
	"basketlink/contracts"
	"basketlink/secret"
	"basketlink/state"
	"basketlink/store"
	"basketlink/tradejini"
)

// CallbackPath is where the registered redirect_uri points, and the path of
// the state cookies.
const CallbackPath = "/callback"

// Service holds what the share flow needs. Every field but Now and Logger is required.
type Service struct {
	Store  store.Store
	States *state.Issuer
	Key    secret.Key
	// Broker exchanges codes. Its BaseURL is where this server reaches
	// Tradejini; LinkBaseURL, when set, is the base the user's browser is sent
	// to (they differ when the simulator is mounted in this server).
	Broker      *tradejini.Client
	LinkBaseURL string
	// SecureCookies marks state cookies Secure (the public URL is https).
	SecureCookies bool
	// MaxLegs is the basket size limit (0: basket.DefaultMaxLegs).
	MaxLegs int
	// AsOf, when set, is the date saved baskets are judged by instead of
	// today (serve --as-of: a demo of a basket whose contracts are past).
	AsOf time.Time
	// Recheck is how long a basket read from the store is served from memory
	// before the store is asked again (0: DefaultRecheck). Several processes
	// may share one database: what another one changes about a link shows
	// here within this time.
	Recheck time.Duration
	Now     func() time.Time
	Logger  *slog.Logger
	// Observer is told of clicks, exchanges and outcomes (nil: nobody).
	Observer Observer
	// Contracts, when set, is the instrument master every basket is checked against.
	Contracts *contracts.Master
	// TokenPickup keeps a completed callback's access token, sealed, until it
	// expires, for its link's owner to pick up once. Off: no token is stored.
	TokenPickup bool

	mu    sync.RWMutex
	saved map[string]*Saved
}

// DefaultRecheck bounds how stale a cached basket may be: one store read per
// basket per 10 s is nothing next to one per click.
const DefaultRecheck = 10 * time.Second

// Saved is a saved basket with its legs, validated as of one day.
type Saved struct {
	store.Basket
	Result basket.Result // validated as of AsOf; Result.Valid false once a contract expired
	AsOf   string
	link   basket.Template // its order-connect URL but for the state, when Result.Valid
	read   time.Time       // when it was last read from the store
}

// maxCached bounds the cache; past it the cache starts again empty.
const maxCached = 10000

var (
	// ErrNotFound: no basket with that id.
	ErrNotFound = errors.New("no basket with that id")
	// ErrNotPlaceable: the saved basket no longer validates (a contract expired).
	ErrNotPlaceable = errors.New("this basket can no longer be placed")
	// ErrInactive: the link was revoked, used up or expired (Saved.Status says which).
	ErrInactive = errors.New("this link is no longer active")
)

// StatusContractExpired is the link status of a saved basket whose contract
// expired; the other statuses are store.Link*.
const StatusContractExpired = "contract_expired"

// Status is the link's status now: store.LinkRevoked, LinkUsedUp,
// LinkExpired, StatusContractExpired or store.LinkActive.
func (s *Service) Status(sv *Saved) string {
	if st := sv.LinkStatus(s.now()); st != store.LinkActive {
		return st
	}
	if !sv.Result.Valid {
		return StatusContractExpired
	}
	return store.LinkActive
}

// Observer is told what happened on the share flow, for the operator's metrics.
type Observer interface {
	Click()                   // a click sent on to the broker with a fresh state
	Exchange(d time.Duration) // one code exchange, whatever its answer
	Outcome(status string)    // one recorded outcome, a store.Status* value
}

type noObserver struct{}

func (noObserver) Click()                 {}
func (noObserver) Exchange(time.Duration) {}
func (noObserver) Outcome(string)         {}

func (s *Service) observer() Observer {
	if s.Observer != nil {
		return s.Observer
	}
	return noObserver{}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) log() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// today is the as-of date: AsOf when set, else today in Asia/Kolkata by the service's clock.
func (s *Service) today() time.Time {
	if !s.AsOf.IsZero() {
		return s.AsOf
	}
	return basket.DateIn(s.now())
}

// Save validates legs (a JSON array) and saves the basket. An invalid basket
// is not saved: the Result says why, and the returned error is nil.
func (s *Service) Save(ctx context.Context, label string, legs []byte) (*Saved, basket.Result, error) {
	return s.SaveLink(ctx, label, legs, store.Life{})
}

// SaveLink is Save for a link with a limited life.
func (s *Service) SaveLink(ctx context.Context, label string, legs []byte, life store.Life) (*Saved, basket.Result, error) {
	today := s.today()
	res := basket.Validate(legs, basket.Options{AsOf: today, MaxLegs: s.MaxLegs, Contracts: s.Contracts})
	if !res.Valid {
		return nil, res, nil
	}
	sv := &Saved{Result: res, AsOf: today.Format(time.DateOnly), read: s.now()}
	if err := s.prepare(sv); err != nil {
		var e basket.Error
		if !errors.As(err, &e) {
			return nil, res, err
		}
		res.Valid, res.Params, res.Errors = false, "", []basket.Error{e}
		return nil, res, nil
	}
	b, err := s.Store.CreateLink(ctx, label, res.Params, life)
	if err != nil {
		return nil, res, fmt.Errorf("save basket: %w", err)
	}
	sv.Basket = b
	s.remember(sv)
	return sv, res, nil
}

// prepare builds the order-connect template of a valid basket, checking the
// URL limit with a state as long as a real one. A basket.Error says it is too long.
func (s *Service) prepare(sv *Saved) error {
	if !sv.Result.Valid {
		return nil
	}
	probe, _, err := s.States.Issue(strings.Repeat("x", store.IDLength))
	if err != nil {
		return fmt.Errorf("issue state: %w", err)
	}
	c := *s.Broker
	if s.LinkBaseURL != "" {
		c.BaseURL = s.LinkBaseURL
	}
	l := basket.Link{BaseURL: c.BaseURL, ClientID: c.ClientID, RedirectURI: c.RedirectURI}
	sv.link, err = basket.OrderConnectTemplate(l, sv.Result.Params, len(url.QueryEscape(probe)))
	return err
}

// Basket returns a saved basket, from memory when it was read from the store
// less than Recheck ago (so a basket another process removed or changed is
// seen within Recheck). Its Result is revalidated once a day, so an expired
// contract shows as such.
func (s *Service) Basket(ctx context.Context, id string) (*Saved, error) {
	today := s.today()
	now := s.now()
	s.mu.RLock()
	cached := s.saved[id]
	s.mu.RUnlock()
	fresh := cached != nil && cached.AsOf == today.Format(time.DateOnly)
	if fresh && now.Sub(cached.read) < s.recheck() && !now.Before(cached.read) {
		return cached, nil
	}
	if !store.ValidID(id) {
		return nil, ErrNotFound
	}
	b, err := s.Store.Basket(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		s.forget(id)
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load basket: %w", err)
	}
	if fresh && cached.Basket == b {
		// Unchanged: keep the validated basket, trust it for another while.
		sv := *cached
		sv.read = now
		s.remember(&sv)
		return &sv, nil
	}
	sv := &Saved{
		Basket: b,
		Result: basket.Validate([]byte(b.Params), basket.Options{AsOf: today, MaxLegs: s.MaxLegs, Contracts: s.Contracts}),
		AsOf:   today.Format(time.DateOnly),
		read:   now,
	}
	if err := s.prepare(sv); err != nil {
		var e basket.Error
		if !errors.As(err, &e) {
			return nil, err
		}
		sv.Result.Valid, sv.Result.Errors = false, []basket.Error{e}
	}
	s.remember(sv)
	return sv, nil
}

func (s *Service) recheck() time.Duration {
	if s.Recheck > 0 {
		return s.Recheck
	}
	return DefaultRecheck
}

// Revoke turns a link off for good; revoking it again changes nothing. This
// process sees it at once, others within Recheck.
func (s *Service) Revoke(ctx context.Context, id string) (*Saved, error) {
	_, err := s.Store.Revoke(ctx, id, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("revoke: %w", err)
	}
	s.forget(id)
	return s.Basket(ctx, id)
}

func (s *Service) forget(id string) {
	s.mu.Lock()
	delete(s.saved, id)
	s.mu.Unlock()
}

func (s *Service) remember(sv *Saved) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.saved == nil || len(s.saved) >= maxCached {
		s.saved = make(map[string]*Saved)
	}
	s.saved[sv.ID] = sv
}

// OrderConnectURL is the order-connect URL of a saved, valid basket for state,
// on the base the user's browser goes to.
func (sv *Saved) OrderConnectURL(state string) string { return sv.link.URL(state) }

// Click is one click on a short link: where to send the browser, and the
// cookie that binds the fresh state to it. It writes nothing to the database.
func (s *Service) Click(ctx context.Context, id string) (string, *http.Cookie, *Saved, error) {
	sv, err := s.Basket(ctx, id)
	if err != nil {
		return "", nil, nil, err
	}
	switch s.Status(sv) {
	case store.LinkActive:
	case StatusContractExpired:
		return "", nil, sv, ErrNotPlaceable
	default:
		return "", nil, sv, ErrInactive
	}
	st, claims, err := s.States.Issue(sv.ID)
	if err != nil {
		return "", nil, sv, fmt.Errorf("issue state: %w", err)
	}
	s.observer().Click()
	return sv.OrderConnectURL(st), s.States.Cookie(st, claims, CallbackPath, s.SecureCookies), sv, nil
}
