package sim

import (
	"net/http"
	"time"
)

// fault applies the configured latency and, for the configured share of
// calls, answers the configured failure. It reports whether it answered.
// It runs before anything is checked or consumed, so an injected failure
// never uses up a code.
func (s *Sim) fault(w http.ResponseWriter, r *http.Request, op string) bool {
	if d := s.cfg.Latency; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true // the caller is gone; nobody reads an answer
		}
	}
	if s.cfg.FailStatus != 0 && s.cfg.FailRate > 0 && s.chance() < s.cfg.FailRate {
		s.refuse(w, op, s.cfg.FailStatus, statusMsg(s.cfg.FailStatus), "injected fault")
		return true
	}
	return false
}
