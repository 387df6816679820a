package share

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"

	"basketlink/basket"
	"basketlink/store"
)

// The saved-link cache: the working set of the links being clicked and
// reviewed, least recently used first out. It holds what a click and the
// review page need of a link (its stored row, the earliest expiry of its
// legs, whether its URL fits) and is filled by reads only: a save adds
// nothing, so creating links does not grow memory. A miss reads the store
// and does not validate the legs again: they were valid when saved, and only
// their expiry dates are judged against today (as a string comparison) on
// every request. Concurrent misses for one id read the store once. An entry
// read from the store more than Recheck ago is read again, so what another
// process changes about a link shows here within Recheck.

// DefaultCacheSize is how many links the cache holds unless CacheSize says
// otherwise. A link of two legs takes some 700 bytes with the cache's own
// bookkeeping: 21 MB, which the garbage collector lets grow to about twice
// between collections; with the rest, the server stays under 150 MB while
// 200,000 links are clicked at random (50,000 reached 159 MB).
const DefaultCacheSize = 30_000

// link is one cached saved link: its row as read, the link's life with it
// (revoked, uses, expiry: judged on every request, see Click), and its params
// with the earliest expiry of its legs.
type link struct {
	store.Basket
	saved basket.Saved
	// tooLong is a basket.Error when its URL no longer fits (the base URL
	// changed since the save), or why no URL can be made; else nil.
	tooLong error
	read    time.Time // when it was read from the store
}

// linkCache is the cache and what fills it.
type linkCache struct {
	once  sync.Once
	lru   *lru.Cache[string, *link]
	group singleflight.Group

	tplOnce sync.Once
	tpl     basket.Template
	tplErr  error
}

func (s *Service) links() *linkCache {
	s.cache.once.Do(func() {
		size := s.CacheSize
		if size <= 0 {
			size = DefaultCacheSize
		}
		s.cache.lru, _ = lru.New[string, *link](size) // errs only for size <= 0
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

// link returns the saved link with that id: from the cache when it was read
// from the store less than Recheck ago, else from the store.
func (s *Service) link(ctx context.Context, id string) (*link, error) {
	c, now := s.links(), s.now()
	if l, ok := c.lru.Get(id); ok && now.Sub(l.read) < s.recheck() && !now.Before(l.read) {
		return l, nil
	}
	if !store.ValidID(id) {
		return nil, ErrNotFound
	}
	// The read is shared by every caller waiting for it, so no one caller's
	// cancellation may end it.
	v, err, _ := c.group.Do(id, func() (any, error) { return s.load(context.WithoutCancel(ctx), id) })
	if err != nil {
		return nil, err
	}
	return v.(*link), nil
}

// load reads a link from the store into the cache.
func (s *Service) load(ctx context.Context, id string) (*link, error) {
	c := s.links()
	b, err := s.Store.Basket(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		c.lru.Remove(id)
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load basket: %w", err)
	}
	now := s.now()
	if old, ok := c.lru.Peek(id); ok && old.Basket == b {
		l := *old // unchanged: trust it for another while
		l.read = now
		c.lru.Add(id, &l)
		return &l, nil
	}
	saved, err := basket.ReadSaved(b.Params)
	if err != nil {
		return nil, fmt.Errorf("load basket %s: %w", id, err)
	}
	l := &link{Basket: b, saved: saved, read: now}
	if tpl, err := s.template(); err != nil {
		l.tooLong = err
	} else {
		l.tooLong = tpl.Check(b.Params)
	}
	c.lru.Add(id, l)
	return l, nil
}

// forget drops a link from the cache, so the next request reads the store.
func (s *Service) forget(id string) { s.links().lru.Remove(id) }

// cached is how many links the cache holds.
func (s *Service) cached() int { return s.links().lru.Len() }
