package share

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/VictoriaMetrics/fastcache"
	"golang.org/x/sync/singleflight"

	"basketlink/basket"
	"basketlink/store"
)

// The saved-link cache: the working set of the links being clicked and
// reviewed. It holds what a click and the review page need of a link,
// compactly: its params deflated (pack.go), its life as numbers, the
// earliest expiry of its legs, some 120 bytes for a link of two legs, in
// fastcache's buckets (github.com/VictoriaMetrics/fastcache): memory outside
// Go's heap that the garbage collector neither scans nor lets grow to twice
// its size, bounded in bytes, the oldest entries of a full bucket out first.
// It is filled by reads only: a save adds nothing, so creating links does
// not grow memory. A miss reads the store and does not validate the legs
// again: they were valid when saved, and only their expiry dates are judged
// against today (as a string comparison) on every request. Concurrent misses
// for one id read the store once.
//
// What another process changes about a link (a revoke, a completed use of a
// link with max_uses, an edit or a removal by hand) reaches this cache
// through the store's change feed: WatchChanges polls it every ChangePoll and
// drops each changed link, so the next request reads it again. Every replica
// sees a change within ChangePoll, plus the time of one poll. While the feed
// is not being read (WatchChanges not running, or its polls failing), a
// cached link is trusted for Recheck only, then read again.

// DefaultCacheSize is how many links the cache is sized for unless
// CacheSize says otherwise: it takes CacheBytesPerLink bytes for each (at
// least 32 MB), which holds that many links of up to about four legs.
const DefaultCacheSize = 250_000

// CacheBytesPerLink is the memory the cache is given per link of CacheSize:
// twice what a link of two legs takes, since a bucket is emptied in halves.
const CacheBytesPerLink = 256

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

// link is one cached saved link, as read from the cache's bytes (see
// encode): label and packed share one small buffer.
type link struct {
	// Its life, in unix microseconds (0: none): see store.Basket.
	created, expires, revoked int64
	completed                 int64
	read                      int64 // when it was read from the store, unix nanoseconds by the service's clock
	maxUses                   int32
	earliest                  [len(time.DateOnly)]byte // the earliest expiry of its legs; zero when none expires
	tooLong                   bool                     // its URL does not fit (or cannot be made): see problem
	label                     []byte
	packed                    []byte // its canonical params, deflated
}

// A link's bytes in the cache: the fixed part, then the label, then the packed params.
const (
	linkFixed    = 5*8 + 4 + len(time.DateOnly) + 1 + 2
	maxLabelSize = 1<<16 - 1
)

func (l *link) encode() []byte {
	b := make([]byte, 0, linkFixed+len(l.label)+len(l.packed))
	for _, n := range []int64{l.created, l.expires, l.revoked, l.completed, l.read} {
		b = binary.LittleEndian.AppendUint64(b, uint64(n))
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(l.maxUses))
	b = append(b, l.earliest[:]...)
	flag := byte(0)
	if l.tooLong {
		flag = 1
	}
	b = append(b, flag)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(l.label)))
	b = append(b, l.label...)
	return append(b, l.packed...)
}

// decodeLink reads what encode wrote; b is kept.
func decodeLink(b []byte) (link, bool) {
	var l link
	if len(b) < linkFixed {
		return l, false
	}
	for i, n := range []*int64{&l.created, &l.expires, &l.revoked, &l.completed, &l.read} {
		*n = int64(binary.LittleEndian.Uint64(b[8*i:]))
	}
	l.maxUses = int32(binary.LittleEndian.Uint32(b[40:]))
	copy(l.earliest[:], b[44:])
	l.tooLong = b[44+len(l.earliest)] == 1
	n := int(binary.LittleEndian.Uint16(b[linkFixed-2:]))
	if len(b) < linkFixed+n {
		return l, false
	}
	l.label, l.packed = b[linkFixed:linkFixed+n], b[linkFixed+n:]
	return l, true
}

// basket is the link's row as the store returned it, its params left out.
func (l *link) basket(id string) store.Basket {
	return store.Basket{ID: id, Label: string(l.label), CreatedAt: micros(l.created), Completed: l.completed,
		Life: store.Life{ExpiresAt: micros(l.expires), MaxUses: int(l.maxUses)}, RevokedAt: micros(l.revoked)}
}

// life is the link's row as far as its status goes (see store.Basket.LinkStatus).
func (l *link) life() store.Basket {
	return store.Basket{Completed: l.completed, Life: store.Life{ExpiresAt: micros(l.expires), MaxUses: int(l.maxUses)},
		RevokedAt: micros(l.revoked)}
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

// placeable reports whether none of the link's legs expired before the
// as-of date asOf (YYYY-MM-DD), as basket.Saved.Placeable does.
func (l *link) placeable(asOf string) bool {
	return basket.Live(l.expiry(), asOf)
}

// expiry is the earliest expiry of the link's legs, "" when none expires.
func (l *link) expiry() string {
	if l.earliest == ([len(time.DateOnly)]byte{}) {
		return ""
	}
	return string(l.earliest[:])
}

// problem is why the link's URL cannot be made, or nil: judged again from
// its params (rare: the base URL changed since the save).
func (s *Service) problem(l *link, params string) error {
	if !l.tooLong {
		return nil
	}
	tpl, err := s.template()
	if err != nil {
		return err
	}
	return tpl.Check(params)
}

// linkCache is the cache and what fills it.
type linkCache struct {
	once  sync.Once
	fc    *fastcache.Cache
	group singleflight.Group

	tplOnce sync.Once
	tpl     basket.Template
	tplErr  error

	day atomic.Pointer[day] // see dayAt

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
		s.cache.fc = fastcache.New(int(min(int64(size)*CacheBytesPerLink, math.MaxInt32))) // at least 32 MB
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

// linkBufs are buffers for links read from the cache; see link.
var linkBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// link returns the saved link with that id: from the cache when the change
// feed is being read, or when it was read from the store less than Recheck
// before at (now, by the service's clock); else from the store. The link's label and packed params may be in
// *buf, a buffer of linkBufs, which the caller puts back once done with them.
func (s *Service) link(ctx context.Context, id string, buf *[]byte, at time.Time) (link, error) {
	k, ok := store.KeyOf(id)
	if !ok {
		return link{}, ErrNotFound
	}
	c, now := s.links(), at.UnixNano()
	if b, ok := c.fc.HasGet((*buf)[:0], k[:]); ok {
		*buf = b
		if l, ok := decodeLink(b); ok && (s.feedFresh(now) || (now >= l.read && now-l.read < int64(s.recheck()))) {
			return l, nil
		}
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
func (s *Service) load(ctx context.Context, id string, k store.IDKey) (link, error) {
	c := s.links()
	b, err := s.Store.Basket(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		c.fc.Del(k[:])
		return link{}, ErrNotFound
	}
	if err != nil {
		return link{}, fmt.Errorf("load basket: %w", err)
	}
	saved, err := basket.ReadSaved(b.Params)
	if err != nil {
		return link{}, fmt.Errorf("load basket %s: %w", id, err)
	}
	l := link{created: unixMicros(b.CreatedAt), expires: unixMicros(b.ExpiresAt), revoked: unixMicros(b.RevokedAt),
		completed: b.Completed, maxUses: int32(min(b.MaxUses, math.MaxInt32)), read: s.now().UnixNano(),
		label: []byte(b.Label), packed: pack(b.Params)}
	if len(saved.Earliest) == len(l.earliest) {
		copy(l.earliest[:], saved.Earliest)
	}
	tpl, err := s.template()
	if err == nil {
		err = tpl.Check(b.Params)
	}
	l.tooLong = err != nil
	if len(l.label) <= maxLabelSize {
		c.fc.Set(k[:], l.encode()) // an entry over 64 KB is not kept: it is read each time
	}
	return l, nil
}

// forget drops a link from the cache, so the next request reads the store.
func (s *Service) forget(id string) {
	if k, ok := store.KeyOf(id); ok {
		s.links().fc.Del(k[:])
	}
}

// cached is how many links the cache holds.
func (s *Service) cached() int {
	var st fastcache.Stats
	s.links().fc.UpdateStats(&st)
	return int(st.EntriesCount)
}

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
		c.fc.Reset()
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
