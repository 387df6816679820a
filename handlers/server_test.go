package handlers_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"basketlink/handlers"
)

// server is the app on a real port, with its log captured.
type server struct {
	URL string
	log *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs the app on 127.0.0.1:0 until the test ends.
func start(t testing.TB, mod func(*handlers.Config)) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{URL: "http://" + ln.Addr().String(), log: &syncBuffer{}}
	cfg := handlers.Config{
		Logger:      slog.New(slog.NewTextHandler(s.log, nil)),
		BaseURL:     "https://api.tradejini.com/v2",
		ClientID:    "TESTKEY",
		RedirectURI: s.URL + "/callback",
	}
	if mod != nil {
		mod(&cfg)
	}
	srv := &http.Server{Handler: handlers.New(cfg), ReadHeaderTimeout: 5 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	return s
}

// do sends one request and returns the status, the body and the content type.
func do(t testing.TB, method, url, contentType string, body io.Reader) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b), res.Header.Get("Content-Type")
}

// documented returns the canonical params of the documented three-leg example.
func documented(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("../basket/testdata/documented.json")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

const asOf = "2022-11-20" // the documented example's expiries are live then
