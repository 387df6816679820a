// Package sim is a faithful stand-in for Tradejini's four OAuth endpoints:
// the same paths, parameters, content types, status codes and error bodies,
// with real login and review pages, for local use and for tests.
package sim

import (
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"
)

// Sim is the simulator, an http.Handler serving /api-gw/oauth/... relative to
// wherever it is mounted (use http.StripPrefix). Safe for concurrent use.
type Sim struct {
	cfg    Config
	log    *slog.Logger
	store  *store
	mux    *http.ServeMux
	chance func() float64 // in [0,1), for fault injection
}

// New returns a simulator for cfg; logger may be nil.
func New(cfg Config, logger *slog.Logger) (*Sim, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if cfg.Auto == "" {
		cfg.Auto = AutoOff
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Sim{cfg: cfg, log: logger.With("component", "sim"), store: newStore(), chance: rand.Float64}
	s.mux = s.routes()
	return s, nil
}

func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

func (s *Sim) now() time.Time { return s.cfg.Now() }
