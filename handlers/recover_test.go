package handlers_test

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"basketlink/handlers"
)

// TestPanicIsA500: a handler that panics gives a logged, plain 500 (a page,
// or a result object under /api/), and the server keeps serving.
func TestPanicIsA500(t *testing.T) {
	logs := &syncBuffer{}
	e := handlers.New(handlers.Config{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	boom := func(echo.Context) error { panic("secret-free boom") }
	e.GET("/boom", boom)
	e.GET("/api/v1/boom", boom)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	base := "http://" + ln.Addr().String()

	status, body, ctype := do(t, "GET", base+"/boom", "", nil)
	if status != 500 || !strings.Contains(ctype, "text/html") || !strings.Contains(body, "Something went wrong on our side") || strings.Contains(body, "secret-free") {
		t.Errorf("page: status %d %s, want a plain 500 page without the panic: %.300s", status, ctype, body)
	}
	status, body, ctype = do(t, "GET", base+"/api/v1/boom", "", nil)
	if status != 500 || !strings.Contains(ctype, "application/json") || !strings.Contains(body, `"valid":false`) {
		t.Errorf("API: status %d %s: %.300s", status, ctype, body)
	}
	if status, _, _ := do(t, "GET", base+"/livez", "", nil); status != 200 {
		t.Errorf("after a panic /livez is %d", status)
	}
	if log := logs.String(); !strings.Contains(log, "panic") || !strings.Contains(log, "secret-free boom") || !strings.Contains(log, "status=500") {
		t.Errorf("the panic is not logged:\n%s", log)
	}
}
