package handlers

import (
	"fmt"
	"testing"
	"time"
)

func TestAuthLimiterWindow(t *testing.T) {
	var l authLimiter
	t0 := time.Unix(1_800_000_000, 0)
	for i := range authMaxFailures {
		if wait := l.retryAfter("192.0.2.1", t0); wait != 0 {
			t.Fatalf("locked after %d failures", i)
		}
		if locked := l.fail("192.0.2.1", t0.Add(time.Duration(i)*time.Second)); locked != (i == authMaxFailures-1) {
			t.Fatalf("failure %d: locked %v", i+1, locked)
		}
	}
	if wait := l.retryAfter("192.0.2.1", t0.Add(10*time.Second)); wait != 50*time.Second {
		t.Fatalf("retry after %s, want 50s (the window opened at the first failure)", wait)
	}
	if wait := l.retryAfter("192.0.2.2", t0); wait != 0 {
		t.Fatal("another address is locked too")
	}
	// One host's IPv6 /64 counts as one address.
	for range authMaxFailures {
		l.fail("2001:db8:1:2::1", t0)
	}
	if l.retryAfter("2001:db8:1:2:ffff::9", t0) == 0 {
		t.Fatal("another address of the same /64 is not locked")
	}
	if wait := l.retryAfter("192.0.2.1", t0.Add(authWindow)); wait != 0 {
		t.Fatalf("still locked after the window: %s", wait)
	}
}

// TestAuthLimiterBounded: a spray of addresses never grows the table past
// authMaxTracked.
func TestAuthLimiterBounded(t *testing.T) {
	var l authLimiter
	t0 := time.Unix(1_800_000_000, 0)
	for i := range authMaxTracked + 5000 {
		l.fail(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), t0)
	}
	if n := l.tracked(); n > authMaxTracked {
		t.Fatalf("the table holds %d addresses, more than %d", n, authMaxTracked)
	}
	// Finished windows go first.
	l.fail("192.0.2.1", t0.Add(2*authWindow))
	if n := l.tracked(); n > authMaxTracked {
		t.Fatalf("the table holds %d addresses", n)
	}
}
