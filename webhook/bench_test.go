package webhook_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"basketlink/internal/pgtest"
	"basketlink/store"
)

// BenchmarkDeliver: events delivered per second by one worker to a local
// receiver that answers 200 (claim, sign, post, record), on SQLite and,
// when a server is configured, PostgreSQL.
func BenchmarkDeliver(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchDeliver(b, "") })
	b.Run("postgres", func(b *testing.B) { benchDeliver(b, pgtest.URL(b)) })
}

func benchDeliver(b *testing.B, databaseURL string) {
	f := newFixtureOn(b, databaseURL)
	rc := newReceiver(b, func(int, http.ResponseWriter) {})
	f.endpoint(b, rc.URL)
	ctx := context.Background()
	for range b.N {
		if _, err := f.st.RecordOutcome(ctx, store.Outcome{BasketID: f.basket.ID, Status: store.StatusOK}); err != nil {
			b.Fatal(err)
		}
	}
	w := f.worker()
	b.ResetTimer()
	start := time.Now()
	for {
		if w.RunOnce(ctx) == 0 {
			if n, _ := f.st.PendingWebhookEvents(ctx); n == 0 {
				break
			}
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
	if got := len(rc.requests()); got != b.N {
		b.Fatalf("%d delivered, want %d", got, b.N)
	}
}
