package handlers_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"basketlink/handlers"
)

// TestClientHangUpIs499: a client that hangs up while its request is being
// worked on is logged as a 499 "client closed request" at INFO, never as an
// ERROR with status 500, and the server keeps serving.
func TestClientHangUpIs499(t *testing.T) {
	logs := &syncBuffer{}
	e := handlers.New(handlers.Config{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	started, finished := make(chan struct{}), make(chan struct{})
	// A step that waits on the request's context, as a database write does,
	// and returns its error wrapped, as a create's does.
	e.POST("/api/v1/slow", func(c echo.Context) error {
		defer close(finished)
		// The body read to its end, as a create reads it: only then does the
		// server watch the connection for the client going away.
		if _, err := io.ReadAll(c.Request().Body); err != nil {
			return err
		}
		close(started)
		ctx := c.Request().Context()
		select {
		case <-ctx.Done():
			return fmt.Errorf("save basket: %w", ctx.Err())
		case <-time.After(10 * time.Second):
			return errors.New("the client's hang-up never reached the handler")
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	base := "http://" + ln.Addr().String()

	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/slow", strings.NewReader("[]"))
	if err != nil {
		t.Fatal(err)
	}
	go func() { <-started; cancel() }()
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("the request was answered (%d) though the client hung up", res.StatusCode)
	}
	select {
	case <-finished:
	case <-time.After(10 * time.Second):
		t.Fatal("the handler never finished")
	}
	if status, _, _ := do(t, "GET", base+"/livez", "", nil); status != 200 {
		t.Errorf("after a hang-up /livez is %d", status)
	}
	var line string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, "path=/api/v1/slow") {
				line = l
			}
		}
		if line != "" {
			break
		}
	}
	if !strings.Contains(line, "level=INFO") || !strings.Contains(line, "status=499") || !strings.Contains(line, `note="client closed request"`) {
		t.Errorf("the hang-up's line: %q, want INFO status=499 client closed request", line)
	}
	if log := logs.String(); strings.Contains(log, "level=ERROR") || strings.Contains(log, "status=500") {
		t.Errorf("a client's hang-up is logged as a server error:\n%s", log)
	}
}
