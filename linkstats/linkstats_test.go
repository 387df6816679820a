package linkstats

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"basketlink/store"
)

func TestIsPreviewBot(t *testing.T) {
	bots := map[string]string{
		"WhatsApp":            "WhatsApp/2.23.20.0 A",
		"facebookexternalhit": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
		"Facebot":             "Facebot",
		"Twitterbot":          "Twitterbot/1.0",
		"TelegramBot":         "TelegramBot (like TwitterBot)",
		"Slackbot":            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
		"LinkedInBot":         "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
		"Discordbot":          "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
		"SkypeUriPreview":     "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
		"Googlebot":           "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		"Applebot":            "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1)",
		"Pinterest":           "Pinterest/0.2 (+https://www.pinterest.com/bot.html)",
		"redditbot":           "Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)",
		"Viber":               "Viber/13.3 CFNetwork",
	}
	for name, ua := range bots {
		t.Run(name, func(t *testing.T) {
			if !IsPreviewBot(ua) {
				t.Fatalf("%q is a preview bot", ua)
			}
		})
	}
	people := []string{
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
		"",
	}
	for _, ua := range people {
		if IsPreviewBot(ua) {
			t.Errorf("%q is a person's browser", ua)
		}
	}
}

type memAdder struct {
	mu   sync.Mutex
	got  map[string]store.Counts
	fail bool
}

func (m *memAdder) AddCounts(_ context.Context, c map[store.IDKey]store.Counts) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return errors.New("down")
	}
	for k, n := range c {
		o := m.got[k.ID()]
		o.Views += n.Views
		o.Continues += n.Continues
		m.got[k.ID()] = o
	}
	return nil
}

// Basket ids for the tests.
const (
	idA = "aaaaaaaaaaaaaaaa"
	idB = "bbbbbbbbbbbbbbbb"
)

// testID is a distinct basket id for each i.
func testID(i int) string { return fmt.Sprintf("t%015d", i) }

func TestFlushKeepsCountsAcrossAFailure(t *testing.T) {
	m := &memAdder{got: map[string]store.Counts{}, fail: true}
	c := New(m, nil)
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() { defer wg.Done(); c.View(idA); c.Continue(idA); c.View(idB); c.View("not-an-id") }()
	}
	wg.Wait()
	if err := c.Flush(context.Background()); err == nil {
		t.Fatal("flush into a failing store reported no error")
	}
	c.View(idA)
	m.fail = false
	if err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m.got[idA] != (store.Counts{Views: 51, Continues: 50}) || m.got[idB] != (store.Counts{Views: 50}) || len(m.got) != 2 {
		t.Fatalf("written %+v", m.got)
	}
	if err := c.Flush(context.Background()); err != nil || m.got[idA].Views != 51 {
		t.Fatalf("an empty flush changed the counts: %+v %v", m.got, err)
	}
}

// flushTimes records when each non-empty flush came, and its size.
type flushTimes struct {
	mu    sync.Mutex
	at    []time.Time
	sizes []int
}

func (f *flushTimes) AddCounts(_ context.Context, c map[store.IDKey]store.Counts) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.at, f.sizes = append(f.at, time.Now()), append(f.sizes, len(c))
	return nil
}

func (f *flushTimes) seen() ([]time.Time, []int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.at), slices.Clone(f.sizes)
}

// TestRunWaitsLongerAfterABigFlush: after a flush of more than bigBatch
// links the next comes longIntervals intervals later, not one. (A slow
// machine can only make a flush later, so this cannot fail for want of
// speed.)
func TestRunWaitsLongerAfterABigFlush(t *testing.T) {
	const interval = 100 * time.Millisecond
	f := &flushTimes{}
	c := New(f, nil)
	for i := range bigBatch + 1 {
		c.Continue(testID(i))
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); c.Run(ctx, interval) }()
	defer func() { cancel(); <-done }()

	waitFlushes := func(n int) []time.Time {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			at, _ := f.seen()
			if len(at) >= n {
				return at
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d flushes after 10 s, want %d", len(at), n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	first := waitFlushes(1)[0]
	c.View(testID(-1)) // gathered just after the big flush
	at := waitFlushes(2)
	if gap := at[1].Sub(first); gap < longIntervals*interval-interval/2 {
		t.Fatalf("the flush after a big one came %v later, want about %v", gap, longIntervals*interval)
	}
	c.View(testID(-2)) // after a small flush, flushed in turn
	waitFlushes(3)
	if _, sizes := f.seen(); sizes[0] != bigBatch+1 || sizes[1] != 1 || sizes[2] != 1 {
		t.Fatalf("flush sizes %v", sizes)
	}
}
