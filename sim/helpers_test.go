package sim_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"basketlink/sim"
)

// documented is the three-leg example of the reference; asOf makes its
// 2022-11-24 expiries live.
var asOf = time.Date(2022, 11, 21, 0, 0, 0, 0, time.UTC)

func documented(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("../basket/testdata/documented.json")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// logBuffer collects the simulator's log lines, safe for concurrent writes.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// server is a simulator on a real port, mounted under /v2 as `basketlink sim` does.
type server struct {
	*httptest.Server
	Base string // http://127.0.0.1:PORT/v2
	Cfg  sim.Config
	Logs *logBuffer
}

// start runs a simulator with cfg (DefaultConfig with the documented as-of
// when cfg is nil) and, when the test ends, checks that no secret reached its log.
func start(t testing.TB, edit func(*sim.Config)) *server {
	t.Helper()
	cfg := sim.DefaultConfig()
	cfg.AsOf = asOf
	if edit != nil {
		edit(&cfg)
	}
	logs := &logBuffer{}
	s, err := sim.New(cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/v2/", http.StripPrefix("/v2", s))
	srv := &server{Server: httptest.NewServer(mux), Cfg: cfg, Logs: logs}
	srv.Base = srv.URL + "/v2"
	t.Cleanup(func() {
		srv.Close()
		for _, secret := range []string{cfg.ClientSecret, cfg.Password, cfg.TOTPSecret} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("the simulator's log holds the secret %q:\n%s", secret, logs)
			}
		}
	})
	return srv
}

// noRedirects is a client that shows each 302 instead of following it.
var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       10 * time.Second,
}

func readBody(t testing.TB, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// assertNotLogged fails when any of values appears in the simulator's log.
func (s *server) assertNotLogged(t testing.TB, values ...string) {
	t.Helper()
	for _, v := range values {
		if v != "" && strings.Contains(s.Logs.String(), v) {
			t.Errorf("the simulator's log holds %q", v)
		}
	}
}
