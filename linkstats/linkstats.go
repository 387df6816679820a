// Package linkstats counts views of review pages and continues through short
// links without a database write on the click's path: counts gather in
// memory and are added to the store in batches, at most every Interval and
// once more at shutdown. Adding (never setting) lets several processes on
// one database each flush their own share.
package linkstats

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"basketlink/store"
)

// DefaultInterval is how often counts are written: often enough that a link's
// owner sees them within 10 s, rarely enough that a busy link costs one small
// write every few seconds instead of one per click.
const DefaultInterval = 3 * time.Second

// A flush of more than bigBatch links is followed by a wait of
// longIntervals intervals (9 s at the default, still within the 10 s
// promised): when clicks spread over many links, every flush is one write per
// link, and a longer wait gathers several clicks on more of them into one
// (200,000 links clicked at random, 25,000 a second: 0.83 links written per
// click every 3 s, 0.63 every 9 s).
const (
	bigBatch      = 10_000
	longIntervals = 3
)

// Adder is where counts go; store.Store is one.
type Adder interface {
	AddCounts(ctx context.Context, counts map[store.IDKey]store.Counts) error
}

// Counter gathers counts. The zero value is not usable: use New.
type Counter struct {
	store Adder
	log   *slog.Logger
	mu    sync.Mutex
	// pending is keyed by the ids' bytes: a map without pointers, which the
	// garbage collector does not walk, though it holds a hundred thousand
	// links between flushes under load, and to which a click adds no string.
	pending map[store.IDKey]store.Counts
}

// New returns a Counter writing to st.
func New(st Adder, logger *slog.Logger) *Counter {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Counter{store: st, log: logger, pending: map[store.IDKey]store.Counts{}}
}

// View (and Continue) on a nil Counter count nothing.

// View counts one view of basket id's review page. Only basket ids are
// counted: another string names no link.
func (c *Counter) View(id string) { c.add(id, store.Counts{Views: 1}) }

// Continue counts one continue through basket id's short link.
func (c *Counter) Continue(id string) { c.add(id, store.Counts{Continues: 1}) }

func (c *Counter) add(id string, d store.Counts) {
	if c == nil { // counting off
		return
	}
	if k, ok := store.KeyOf(id); ok {
		c.mu.Lock()
		c.addKey(k, d)
		c.mu.Unlock()
	}
}

// addKey adds d to k's pending counts; c.mu is held.
func (c *Counter) addKey(k store.IDKey, d store.Counts) {
	n := c.pending[k]
	n.Views += d.Views
	n.Continues += d.Continues
	c.pending[k] = n
}

// Flush writes what was gathered. Counts that could not be written are kept
// for the next flush.
func (c *Counter) Flush(ctx context.Context) error {
	_, err := c.flush(ctx)
	return err
}

// flush is Flush, and how many links it wrote.
func (c *Counter) flush(ctx context.Context) (int, error) {
	c.mu.Lock()
	batch := c.pending
	c.pending = make(map[store.IDKey]store.Counts)
	c.mu.Unlock()
	if len(batch) == 0 {
		return 0, nil
	}
	if err := c.store.AddCounts(ctx, batch); err != nil {
		c.mu.Lock()
		for k, n := range batch {
			c.addKey(k, n)
		}
		c.mu.Unlock()
		return 0, err
	}
	return len(batch), nil
}

// Run flushes every interval (0: DefaultInterval), or longIntervals
// intervals after a flush of more than bigBatch links, until ctx is done,
// then once more, with a few seconds of its own, so a shutdown loses nothing.
func (c *Counter) Run(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultInterval
	}
	t := time.NewTimer(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			n, err := c.flush(ctx)
			if err != nil {
				c.log.Warn("write link counts", "err", err)
			}
			next := interval
			if n > bigBatch {
				next = longIntervals * interval
			}
			t.Reset(next)
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := c.Flush(final); err != nil {
				c.log.Error("write link counts at shutdown", "err", err)
			}
			return
		}
	}
}
