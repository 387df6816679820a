// Package share is the life of a shared basket link: saving a basket, the
// click on its short link (a fresh OAuth state per click) and the callback
// that checks the state, exchanges the code and records the outcome.
package share

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
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
	// before the store is asked again (0: DefaultRecheck), while the store's
	// change feed is not being read (see WatchChanges in cache.go). Several
	// processes may share one database: what another one changes about a
	// link shows here within this time, or within one poll of the feed.
	Recheck time.Duration
	// CacheSize is how many saved links the cache is sized for: it takes
	// CacheBytesPerLink bytes for each, at least 32 MB (0: DefaultCacheSize).
	CacheSize int
	Now       func() time.Time
	Logger    *slog.Logger
	// Observer is told of clicks, exchanges and outcomes (nil: nobody).
	Observer Observer
	// Contracts, when set, is the instrument master every basket is checked against.
	Contracts *contracts.Master
	// TokenPickup keeps a completed callback's access token, sealed, until it
	// expires, for its link's owner to pick up once. Off: no token is stored.
	TokenPickup bool

	cache linkCache
}

// DefaultRecheck bounds how stale a cached basket may be while the change
// feed is not read: one store read per basket per 10 s.
const DefaultRecheck = 10 * time.Second

// Saved is a saved basket with its legs as of one day.
type Saved struct {
	store.Basket
	// Result shows the legs as of AsOf: Valid false once a contract expired
	// (an error for each such leg) or the URL no longer fits.
	Result basket.Result
	AsOf   string
	link   basket.Template
}

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
func (s *Service) today() time.Time { return s.dayAt(s.now()).date }

// day is an as-of date, also written YYYY-MM-DD, and the unix minute it was
// worked out for.
type day struct {
	date   time.Time
	text   string
	minute int64
}

// dayAt is the as-of date at now: AsOf when set, else now's date in
// Asia/Kolkata. Every click asks, so the answer is kept for the minute: a
// minute never spans two dates there (its offset, +05:30, is whole minutes).
func (s *Service) dayAt(now time.Time) *day {
	minute := now.Unix() / 60
	if !s.AsOf.IsZero() {
		minute = math.MinInt64
	}
	if d := s.cache.day.Load(); d != nil && d.minute == minute {
		return d
	}
	d := &day{date: s.AsOf, minute: minute}
	if s.AsOf.IsZero() {
		d.date = basket.DateIn(now)
	}
	d.text = d.date.Format(time.DateOnly)
	s.cache.day.Store(d)
	return d
}

// Save validates legs (a JSON array) and saves the basket. An invalid basket
// is not saved: the Result says why, and the returned error is nil. A saved
// basket is not cached: the first click or review reads it.
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
	tpl, err := s.template()
	if err != nil {
		return nil, res, err
	}
	if err := tpl.Check(res.Params); err != nil {
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
	return &Saved{Basket: b, Result: res, AsOf: today.Format(time.DateOnly), link: tpl}, res, nil
}

// Basket returns a saved basket with its legs (see the cache in cache.go: a
// basket another process removed or changed is seen within Recheck). Its
// legs' expiries are judged as of today, so an expired contract shows as such.
func (s *Service) Basket(ctx context.Context, id string) (*Saved, error) {
	buf := linkBufs.Get().(*[]byte)
	defer linkBufs.Put(buf)
	now := s.now()
	l, err := s.link(ctx, id, buf, now)
	if err != nil {
		return nil, err
	}
	b, err := l.withParams(id)
	if err != nil {
		return nil, err
	}
	today := s.dayAt(now)
	saved := basket.Saved{Params: b.Params, Earliest: l.expiry()}
	sv := &Saved{Basket: b, Result: saved.Result(today.date), AsOf: today.text, link: s.cache.tpl}
	if p := s.problem(&l, b.Params); p != nil && sv.Result.Valid {
		e := basket.Error{Message: p.Error()}
		errors.As(p, &e)
		sv.Result.Valid, sv.Result.Errors = false, []basket.Error{e}
	}
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

// OrderConnectURL is the order-connect URL of a saved, valid basket for state,
// on the base the user's browser goes to.
func (sv *Saved) OrderConnectURL(state string) string { return sv.link.URL(state, sv.Params) }

// A Redirect is what a click on a short link answers: the order-connect URL
// to send the browser to, and the cookie that binds the click's fresh state to
// that browser, as the Set-Cookie header's value and the cookie's name.
type Redirect struct {
	URL        string
	SetCookie  string
	CookieName string
}

// Click is one click on a short link: where to send the browser, and the
// cookie that binds the fresh state to it. It writes nothing to the database.
// A basket that can no longer be placed is ErrNotPlaceable, with the Saved
// basket that says why (ErrInactive for a link that is off); on success
// there is no Saved basket: the caller has its id, and a click needs no more
// of it than its URL, made straight from the cached, packed params.
func (s *Service) Click(ctx context.Context, id string) (Redirect, *Saved, error) {
	buf := linkBufs.Get().(*[]byte)
	defer linkBufs.Put(buf)
	now := s.now()
	l, err := s.link(ctx, id, buf, now)
	if err != nil {
		return Redirect{}, nil, err
	}
	if l.tooLong || !l.placeable(s.dayAt(now).text) || l.life().LinkStatus(now) != store.LinkActive {
		if l.tooLong {
			b, err := l.withParams(id)
			if err != nil {
				return Redirect{}, nil, err
			}
			if e, p := (basket.Error{}), s.problem(&l, b.Params); p != nil && !errors.As(p, &e) {
				return Redirect{}, nil, p
			}
		}
		sv, err := s.Basket(ctx, id)
		if err != nil {
			return Redirect{}, nil, err
		}
		if s.Status(sv) == StatusContractExpired {
			return Redirect{}, sv, ErrNotPlaceable
		}
		return Redirect{}, sv, ErrInactive
	}
	st, claims, err := s.States.Issue(id)
	if err != nil {
		return Redirect{}, nil, fmt.Errorf("issue state: %w", err)
	}
	var u string
	if err := withUnpacked(l.packed, func(params []byte) { u = s.cache.tpl.URLBytes(st, params) }); err != nil {
		return Redirect{}, nil, fmt.Errorf("basket %s: %w", id, err)
	}
	s.observer().Click()
	r := Redirect{URL: u}
	r.SetCookie, r.CookieName = s.States.SetCookie(st, claims, CallbackPath, s.SecureCookies)
	return r, nil, nil
}
