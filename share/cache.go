package share

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"

	"basketlink/basket"
	"basketlink/store"
)

// The saved-link cache: the working set of the links being clicked and
// reviewed, least recently used first out. It holds what a click and the
// review page need of a link, compactly (its params deflated, see pack.go;
// its life as numbers; the earliest expiry of its legs), and is filled by
// reads only: a save adds nothing, so creating links does not grow memory. A
// miss reads the store and does not validate the legs again: they were valid
// when saved, and only their expiry dates are judged against today (as a
// string comparison) on every request. Concurrent misses for one id read the
// store once.
//
// What another process changes about a link (a revoke, a completed use of a
// link with max_uses, an edit or a removal by hand) reaches this cache
// through the store's change feed: WatchChanges polls it every ChangePoll and
// drops each changed link, so the next request reads it again. Every replica
// sees a change within ChangePoll, plus the time of one poll. While the feed
// is not being read (WatchChanges not running, or its polls failing), a
// cached link is trusted for Recheck only, then read again.

// DefaultCacheSize is how many links the cache holds unless CacheSize says
// otherwise. A link of two legs takes some 250 bytes with the cache's own
// bookkeeping (measured by TestCacheEntrySize): 60 MB when full, which the
// garbage collector lets grow to about twice between collections, so the
// server stays under 150 MB with 200,000 links clicked at random.
const DefaultCacheSize = 250_000

// DefaultChangePoll is how often WatchChanges reads the change feed.
const DefaultChangePoll = 2 * time.Second

// changeMargin is how far before the last poll the next one looks back,
// besides the store's own store.ChangeMargin: a change is stamped by the
// database when it is written and becomes visible when its transaction
// commits, later; a hand edit may keep its transaction open a while. A change
// is named again by the polls within that time, and the link read again
// each time: a few reads per change.
const changeMargin = 30 * time.Second

// changeRetention is how long the store keeps a change. A replica whose
// polls failed for longer than that may have missed changes: it forgets
// every link it holds.
const changeRetention = time.Hour

// link is one cached saved link, in few bytes and fewer allocations: many
// thousands are held.
type link struct {
	label  string
	packed string // its canonical params, deflated
	// Its life, in unix microseconds (0: none): see store.Basket.
	created, expires, revoked int64
	completed                 int64
	maxUses                   int32
	earliest                  [len(time.DateOnly)]byte // the earliest expiry of its legs; zero when none expires
	// tooLong is a basket.Error when its URL no longer fits (the base URL
	// changed since the save), or why no URL can be made; else nil.
	tooLong *error
	read    int64 // when it was read from the store, unix nanoseconds by the service's clock
}

// key is the cache's key for a valid id: its 12 bytes, not its 16 characters.
type key [store.IDLength * 6 / 8]byte

func keyOf(id string) (key, bool) {
	var k key
	if !store.ValidID(id) {
		return k, false
	}
	_, err := base64.RawURLEncoding.Decode(k[:], []byte(id))
	return k, err == nil
}

// expiry is the earliest expiry of the link's legs, "" when none expires.
func (l *link) expiry() string {
	if l.earliest == ([len(time.DateOnly)]byte{}) {
		return ""
	}
	return string(l.earliest[:])
}

// problem is why the link's URL cannot be made, or nil.
func (l *link) problem() error {
	if l.tooLong == nil {
		return nil
	}
	return *l.tooLong
}

// basket is the link's row as the store returned it, its params left out.
func (l *link) basket(id string) store.Basket {
	return store.Basket{ID: id, Label: l.label, CreatedAt: micros(l.created), Completed: l.completed,
		Life: store.Life{ExpiresAt: micros(l.expires), MaxUses: int(l.maxUses)}, RevokedAt: micros(l.revoked)}
}

// withParams is basket with its params.
func (l *link) withParams(id string) (store.Basket, error) {
	b := l.basket(id)
	p, err := unpack(l.packed)
	if err != nil {
		return store.Basket{}, fmt.Errorf("basket %s: %w", id, err)
	}
	b.Params = p
	return b, nil
}

func micros(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.UnixMicro(n).UTC()
}

func unixMicros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// linkCache is the cache and what fills it.
type linkCache struct {
	once  sync.Once
	lru   *lru.Cache[key, link]
	group singleflight.Group

	tplOnce sync.Once
	tpl     basket.Template
	tplErr  error

	// The change feed: since is where the next poll starts, polled when the
	// last poll succeeded (unix nanoseconds by the service's clock, 0: never)
	// and every how often (0: WatchChanges is not running).
	feedMu   sync.Mutex
	since    time.Time
	pruned   time.Time
	polled   atomic.Int64
	pollEach atomic.Int64
}

func (s *Service) links() *linkCache {
	s.cache.once.Do(func() {
		size := s.CacheSize
		if size <= 0 {
			size = DefaultCacheSize
		}
		s.cache.lru, _ = lru.New[key, link](size) // errs only for size <= 0
	})
	return &s.cache
}

// template is this server's order-connect URL up to its state, made once.
func (s *Service) template() (basket.Template, error) {
	c := &s.cache
	c.tplOnce.Do(func() {
		if s.States == nil || s.Broker == nil {
			c.tplErr = errors.New("share: no state issuer or broker to build links with")
			return
		}
		// The URL limit is checked with a state as long as a real one.
		probe, _, err := s.States.Issue(strings.Repeat("x", store.IDLength))
		if err != nil {
			c.tplErr = fmt.Errorf("issue state: %w", err)
			return
		}
		b := *s.Broker
		if s.LinkBaseURL != "" {
			b.BaseURL = s.LinkBaseURL
		}
		l := basket.Link{BaseURL: b.BaseURL, ClientID: b.ClientID, RedirectURI: b.RedirectURI}
		c.tpl = basket.OrderConnectTemplate(l, len(url.QueryEscape(probe)))
	})
	return c.tpl, c.tplErr
}

// link returns the saved link with that id: from the cache when the change
// feed is being read, or when it was read from the store less than Recheck
// ago; else from the store.
func (s *Service) link(ctx context.Context, id string) (link, error) {
	k, ok := keyOf(id)
	if !ok {
		return link{}, ErrNotFound
	}
	c, now := s.links(), s.now().UnixNano()
	if l, ok := c.lru.Get(k); ok && (s.feedFresh(now) || (now >= l.read && now-l.read < int64(s.recheck()))) {
		return l, nil
	}
	// The read is shared by every caller waiting for it, so no one caller's
	// cancellation may end it.
	v, err, _ := c.group.Do(id, func() (any, error) { return s.load(context.WithoutCancel(ctx), id, k) })
	if err != nil {
		return link{}, err
	}
	return v.(link), nil
}

// load reads a link from the store into the cache.
func (s *Service) load(ctx context.Context, id string, k key) (link, error) {
	c := s.links()
	b, err := s.Store.Basket(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		c.lru.Remove(k)
		return link{}, ErrNotFound
	}
	if err != nil {
		return link{}, fmt.Errorf("load basket: %w", err)
	}
	saved, err := basket.ReadSaved(b.Params)
	if err != nil {
		return link{}, fmt.Errorf("load basket %s: %w", id, err)
	}
	l := link{label: b.Label, packed: pack(b.Params),
		created: unixMicros(b.CreatedAt), expires: unixMicros(b.ExpiresAt), revoked: unixMicros(b.RevokedAt),
		completed: b.Completed, maxUses: int32(min(b.MaxUses, math.MaxInt32)), read: s.now().UnixNano()}
	if len(saved.Earliest) == len(l.earliest) {
		copy(l.earliest[:], saved.Earliest)
	}
	tpl, err := s.template()
	if err == nil {
		err = tpl.Check(b.Params)
	}
	if err != nil {
		l.tooLong = &err
	}
	c.lru.Add(k, l)
	return l, nil
}

// forget drops a link from the cache, so the next request reads the store.
func (s *Service) forget(id string) {
	if k, ok := keyOf(id); ok {
		s.links().lru.Remove(k)
	}
}

// cached is how many links the cache holds.
func (s *Service) cached() int { return s.links().lru.Len() }

// feedFresh reports whether the change feed was read recently enough (within
// three polls) for the cache to rely on it.
func (s *Service) feedFresh(now int64) bool {
	each, at := s.cache.pollEach.Load(), s.cache.polled.Load()
	return each > 0 && at > 0 && now >= at && now-at < 3*each
}

// PollChanges reads the store's change feed once and drops every link it
// names from the cache. Once an hour it also prunes the feed.
func (s *Service) PollChanges(ctx context.Context) error {
	c := s.links()
	c.feedMu.Lock()
	defer c.feedMu.Unlock()
	ids, now, err := s.Store.LinkChanges(ctx, c.since)
	if err != nil {
		return fmt.Errorf("read link changes: %w", err)
	}
	if !c.since.IsZero() && now.Sub(c.since) > changeRetention {
		// Polls failed for longer than changes are kept: some may be gone.
		c.lru.Purge()
	}
	for _, id := range ids {
		s.forget(id)
	}
	c.since = now.Add(-changeMargin)
	c.polled.Store(s.now().UnixNano())
	if now.Sub(c.pruned) >= changeRetention/4 {
		if _, err := s.Store.PruneLinkChanges(ctx, now.Add(-changeRetention)); err != nil {
			return fmt.Errorf("prune link changes: %w", err)
		}
		c.pruned = now
	}
	return nil
}

// WatchChanges polls the change feed every interval (0: DefaultChangePoll)
// until ctx is done. While its polls succeed, cached links are trusted until
// the feed names them; a failed poll is logged, and after three the cache
// trusts a link for Recheck only.
func (s *Service) WatchChanges(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultChangePoll
	}
	c := s.links()
	c.pollEach.Store(int64(interval))
	defer c.pollEach.Store(0)
	t := time.NewTicker(interval)
	defer t.Stop()
	failing := false
	for {
		err := s.PollChanges(ctx)
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			s.log().Warn("the link change feed could not be read; cached links are read again every "+s.recheck().String(), "err", err)
			failing = true
		case err == nil && failing:
			s.log().Info("the link change feed is read again")
			failing = false
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}
