package handlers

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestAuthLimiterWindow(t *testing.T) {
	var l authLimiter
	t0 := time.Unix(1_800_000_000, 0)
	ip := "192.0.2.1"
	for i := range authMaxFailures {
		if wait := l.begin(ip, t0.Add(time.Duration(i)*time.Second)); wait != 0 {
			t.Fatalf("locked after %d failures", i)
		}
		if locked := l.failed(ip); locked != (i == authMaxFailures-1) {
			t.Fatalf("failure %d: locked %v", i+1, locked)
		}
	}
	if wait := l.begin(ip, t0.Add(10*time.Second)); wait != 50*time.Second {
		t.Fatalf("retry after %s, want 50s (the window opened at the first failure)", wait)
	}
	if wait := l.begin("192.0.2.2", t0); wait != 0 {
		t.Fatal("another address is locked too")
	}
	// One host's IPv6 /64 counts as one address.
	for range authMaxFailures {
		l.begin("2001:db8:1:2::1", t0)
		l.failed("2001:db8:1:2::1")
	}
	if l.begin("2001:db8:1:2:ffff::9", t0) == 0 {
		t.Fatal("another address of the same /64 is not locked")
	}
	if wait := l.begin(ip, t0.Add(authWindow)); wait != 0 {
		t.Fatalf("still locked after the window: %s", wait)
	}
	// Right tokens are refunded: they never lock anyone out.
	for range 3 * authMaxFailures {
		if wait := l.begin("192.0.2.3", t0); wait != 0 {
			t.Fatal("right tokens locked the address")
		}
		l.succeeded("192.0.2.3")
	}
}

// TestAuthLimiterConcurrent: guesses sent all at once are admitted at most
// authMaxFailures times, not once each.
func TestAuthLimiterConcurrent(t *testing.T) {
	var l authLimiter
	t0 := time.Unix(1_800_000_000, 0)
	var mu sync.Mutex
	admitted := 0
	var wg sync.WaitGroup
	for range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if l.begin("192.0.2.9", t0) == 0 {
				mu.Lock()
				admitted++
				mu.Unlock()
				l.failed("192.0.2.9")
			}
		}()
	}
	wg.Wait()
	if admitted != authMaxFailures {
		t.Fatalf("%d concurrent guesses reached the token check, want %d", admitted, authMaxFailures)
	}
}

// TestAuthLimiterBounded: a spray of addresses never grows the table past
// authMaxTracked.
func TestAuthLimiterBounded(t *testing.T) {
	var l authLimiter
	t0 := time.Unix(1_800_000_000, 0)
	for i := range authMaxTracked + 5000 {
		ip := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		l.begin(ip, t0)
		l.failed(ip)
	}
	if n := l.tracked(); n > authMaxTracked {
		t.Fatalf("the table holds %d addresses, more than %d", n, authMaxTracked)
	}
	l.begin("192.0.2.1", t0.Add(2*authWindow))
	if n := l.tracked(); n > authMaxTracked {
		t.Fatalf("the table holds %d addresses", n)
	}
}
