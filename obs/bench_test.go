package obs

import (
	"context"
	"io"
	"testing"
	"time"
)

// What the operator's kit adds to each request: counting it, and its id.
func BenchmarkRequest(b *testing.B) {
	m := NewMetrics("ok")
	for b.Loop() {
		m.Request("/b/:id/go", 302, 150*time.Microsecond)
	}
}

func BenchmarkRequestIDMade(b *testing.B) {
	for b.Loop() {
		_ = RequestID("")
	}
}

func BenchmarkLogLineWithID(b *testing.B) {
	log, _ := NewLogger(io.Discard, "json", "info")
	ctx := WithRequestID(context.Background(), RequestID(""))
	for b.Loop() {
		log.InfoContext(ctx, "request", "method", "GET", "path", "/b/x/go", "status", 302)
	}
}
