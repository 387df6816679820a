package handlers

import (
	"net"
	"sync"
	"time"
)

// Failed creator authentications (a wrong admin token at the login form or in
// an Authorization header) are counted per client address in fixed windows:
// the first failure opens a window of authWindow; after authMaxFailures
// failures in it, every attempt from that address, right or wrong, is refused
// until the window ends. So at most authMaxFailures guesses per address reach
// the token check each authWindow.
const (
	authMaxFailures = 5
	authWindow      = time.Minute
	// authMaxTracked bounds the table. When it is full, finished windows are
	// dropped first, then arbitrary entries: memory stays bounded under a
	// spray of addresses, at the cost of forgetting some of them.
	authMaxTracked = 1 << 16
)

type authWindowEntry struct {
	start    time.Time
	charged  int // attempts admitted in this window and not refunded: failures and ones under way
	failures int
}

// authLimiter is the table of failure windows by client address.
type authLimiter struct {
	mu      sync.Mutex
	windows map[string]*authWindowEntry
}

// limitKey is the address a limit applies to: an IPv4 address, or the /64 an
// IPv6 address is in (one host usually holds a whole /64).
func limitKey(ip string) string {
	parsed := net.ParseIP(ip)
	if parsed == nil || parsed.To4() != nil {
		return ip
	}
	return parsed.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// begin admits one attempt from ip at now, or reports how long the address
// is locked out. An admitted attempt is charged at once, so concurrent
// guesses cannot all slip past the count; succeeded gives the charge back.
func (l *authLimiter) begin(ip string, now time.Time) (wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := limitKey(ip)
	w := l.windows[key]
	if w != nil && !now.Before(w.start.Add(authWindow)) {
		w = nil // the window is over: start afresh
	}
	if w == nil {
		if l.windows == nil {
			l.windows = make(map[string]*authWindowEntry)
		}
		if _, tracked := l.windows[key]; !tracked && len(l.windows) >= authMaxTracked {
			l.makeRoom(now)
		}
		w = &authWindowEntry{start: now}
		l.windows[key] = w
	}
	if w.charged >= authMaxFailures {
		return w.start.Add(authWindow).Sub(now)
	}
	w.charged++
	return 0
}

// succeeded refunds an admitted attempt that had the right token.
func (l *authLimiter) succeeded(ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if w := l.windows[limitKey(ip)]; w != nil && w.charged > 0 {
		w.charged--
	}
}

// failed records that an admitted attempt had a wrong token, and reports
// whether this failure locked the address out (true once per window: the
// moment to log it).
func (l *authLimiter) failed(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.windows[limitKey(ip)]
	if w == nil {
		return false
	}
	w.failures++
	return w.failures == authMaxFailures
}

// makeRoom drops finished windows, and when none has finished, an arbitrary
// tenth of the table. Called with l.mu held.
func (l *authLimiter) makeRoom(now time.Time) {
	for k, w := range l.windows {
		if !now.Before(w.start.Add(authWindow)) {
			delete(l.windows, k)
		}
	}
	for k := range l.windows {
		if len(l.windows) < authMaxTracked-authMaxTracked/10 {
			break
		}
		delete(l.windows, k)
	}
}

// tracked is how many addresses the table holds (for tests).
func (l *authLimiter) tracked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.windows)
}
