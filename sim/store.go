package sim

import (
	"crypto/rand"
	"sync"
	"time"
)

const (
	codeLife    = 5 * time.Minute  // documented: codes live 5 minutes
	pendingLife = 15 * time.Minute // how long a login and review may take
	maxPending  = 10000            // a cap, so a flood of order-connect calls cannot exhaust memory
)

// pending is an order-connect or authorize request waiting for the user's
// login and, for order-connect, their decision on the review page.
type pending struct {
	id       string // unguessable; binds the pages' forms to this request
	session  string // set at login; the review page needs it as a cookie too
	state    string
	items    []map[string]any // the legs as sent; nil for authorize
	expires  time.Time
	attempts int // wrong logins so far
}

// store holds the codes and pending requests; safe for concurrent use.
type store struct {
	mu      sync.Mutex
	codes   map[string]time.Time // code -> expiry
	pending map[string]*pending
}

func newStore() *store {
	return &store{codes: map[string]time.Time{}, pending: map[string]*pending{}}
}

// newCode issues a single-use code valid for codeLife from now.
func (s *store) newCode(now time.Time) string {
	code := rand.Text()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.codes) > maxPending {
		for c, exp := range s.codes {
			if !now.Before(exp) {
				delete(s.codes, c)
			}
		}
	}
	s.codes[code] = now.Add(codeLife)
	return code
}

// useCode consumes code and reports whether it was issued, unused and unexpired.
func (s *store) useCode(code string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.codes[code]
	if !ok {
		return false
	}
	delete(s.codes, code)
	return now.Before(exp)
}

// addPending files p under a fresh id; false when too many are waiting.
func (s *store) addPending(p *pending, now time.Time) bool {
	p.id = rand.Text()
	p.expires = now.Add(pendingLife)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) >= maxPending {
		for id, q := range s.pending {
			if !now.Before(q.expires) {
				delete(s.pending, id)
			}
		}
		if len(s.pending) >= maxPending {
			return false
		}
	}
	s.pending[p.id] = p
	return true
}

// withPending runs f on the live pending request id under the lock; f returns
// whether the request is finished and must be forgotten. The result is false
// when there is no such live request.
func (s *store) withPending(id string, now time.Time, f func(p *pending) (done bool)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pending[id]
	if !ok {
		return false
	}
	if !now.Before(p.expires) {
		delete(s.pending, id)
		return false
	}
	if f(p) {
		delete(s.pending, id)
	}
	return true
}
