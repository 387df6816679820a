package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestWebhookOutbox(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		b, err := s.CreateBasket(ctx, "Hedge", exampleParams)
		if err != nil {
			t.Fatal(err)
		}
		// An outcome before any endpoint makes no event.
		if _, err := s.RecordOutcome(ctx, Outcome{BasketID: b.ID, Status: StatusOK}); err != nil {
			t.Fatal(err)
		}
		w1, err := s.CreateWebhook(ctx, "https://a.example/hook", []byte("sealed1"))
		if err != nil {
			t.Fatal(err)
		}
		w2, err := s.CreateWebhook(ctx, "https://b.example/hook", []byte("sealed2"))
		if err != nil {
			t.Fatal(err)
		}
		list, err := s.Webhooks(ctx)
		if err != nil || len(list) != 2 || list[0].ID != w1.ID || string(list[1].SealedSecret) != "sealed2" {
			t.Fatalf("Webhooks = %+v, %v", list, err)
		}
		oid, err := s.RecordOutcome(ctx, Outcome{BasketID: b.ID, Status: StatusRefused, HTTPStatus: 401, Message: "bad code"})
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := s.PendingWebhookEvents(ctx); n != 2 {
			t.Fatalf("pending = %d, want 2 (one per endpoint)", n)
		}

		now := time.Now()
		evs, err := s.ClaimWebhookEvents(ctx, now, 30*time.Second, 10)
		if err != nil || len(evs) != 2 {
			t.Fatalf("claim = %d events, %v; want 2", len(evs), err)
		}
		ev := evs[0]
		if ev.Type != EventFailed || ev.Outcome.ID != oid || ev.Label != "Hedge" || ev.Attempt != 1 ||
			ev.Outcome.Message != "bad code" || ev.Outcome.HTTPStatus != 401 || ev.EventID != eventIDPrefix(oid)+ev.EndpointID {
			t.Fatalf("claimed event = %+v", ev)
		}
		// Leased: a second claim gets nothing until the lease passes; then
		// (the claimer died) both are claimed again, as attempt 2, and the
		// dead claimer's late answer changes nothing.
		if again, _ := s.ClaimWebhookEvents(ctx, now, 30*time.Second, 10); len(again) != 0 {
			t.Fatalf("claimed %d leased events again", len(again))
		}
		stale := evs
		evs, err = s.ClaimWebhookEvents(ctx, now.Add(31*time.Second), 30*time.Second, 10)
		if err != nil || len(evs) != 2 || evs[0].Attempt != 2 || evs[0].EventID != stale[0].EventID {
			t.Fatalf("claim after the lease = %+v, %v", evs, err)
		}
		if err := s.FinishWebhookAttempt(ctx, AttemptResult{Event: stale[0], At: now, HTTPStatus: 200, Delivered: true}); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.PendingWebhookEvents(ctx); n != 2 {
			t.Fatalf("pending = %d after a stale claimer's answer, want 2", n)
		}
		now = now.Add(31 * time.Second)
		// The first endpoint answers 500: due again later; the second 200: delivered.
		for _, ev := range evs {
			r := AttemptResult{Event: ev, At: now, HTTPStatus: 200, Delivered: true}
			if ev.EndpointID == w1.ID {
				r = AttemptResult{Event: ev, At: now, HTTPStatus: 500, Error: "HTTP 500", Next: now.Add(5 * time.Second)}
			}
			if err := s.FinishWebhookAttempt(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := s.ClaimWebhookEvents(ctx, now.Add(time.Second), 30*time.Second, 10); len(got) != 0 {
			t.Fatalf("claimed %d events before they were due", len(got))
		}
		got, err := s.ClaimWebhookEvents(ctx, now.Add(6*time.Second), 30*time.Second, 10)
		if err != nil || len(got) != 1 || got[0].EndpointID != w1.ID || got[0].Attempt != 3 {
			t.Fatalf("retry claim = %+v, %v", got, err)
		}
		if err := s.FinishWebhookAttempt(ctx, AttemptResult{Event: got[0], At: now.Add(6 * time.Second), HTTPStatus: 204, Delivered: true}); err != nil {
			t.Fatal(err)
		}
		atts, err := s.WebhookAttempts(ctx, w1.ID, 10)
		if err != nil || len(atts) != 3 || atts[2].Attempt != 1 || atts[0].Attempt != 3 || atts[0].HTTPStatus != 204 || atts[1].HTTPStatus != 500 || atts[1].Error != "HTTP 500" {
			t.Fatalf("attempts of w1 = %+v, %v", atts, err)
		}
		if ba, err := s.BasketWebhookAttempts(ctx, b.ID, 10); err != nil || len(ba) != 4 || ba[0].BasketID != b.ID {
			t.Fatalf("basket attempts = %+v, %v", ba, err)
		}
		if _, err := s.WebhookAttempts(ctx, "nonexistent00000", 10); !errors.Is(err, ErrNotFound) {
			t.Fatalf("attempts of an unknown endpoint: %v", err)
		}

		// A deleted endpoint gets nothing more, pending events included.
		if _, err := s.RecordOutcome(ctx, Outcome{BasketID: b.ID, Status: StatusCancelled}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteWebhook(ctx, w2.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteWebhook(ctx, w2.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("second delete: %v", err)
		}
		if _, err := s.RecordOutcome(ctx, Outcome{BasketID: b.ID, Status: StatusOK}); err != nil {
			t.Fatal(err)
		}
		later, err := s.ClaimWebhookEvents(ctx, now.Add(time.Minute), 30*time.Second, 10)
		if err != nil || len(later) != 2 {
			t.Fatalf("claim after delete = %d, %v; want 2 (w1 only)", len(later), err)
		}
		for _, ev := range later {
			if ev.EndpointID != w1.ID {
				t.Fatalf("claimed an event of the deleted endpoint: %+v", ev)
			}
		}
		if later[0].Type != EventCancelled || later[1].Type != EventCompleted {
			t.Fatalf("types = %s, %s", later[0].Type, later[1].Type)
		}
		// Given up: failed, never claimed again.
		for _, ev := range later {
			if err := s.FinishWebhookAttempt(ctx, AttemptResult{Event: ev, At: now, Error: "timeout"}); err != nil {
				t.Fatal(err)
			}
		}
		if n, _ := s.PendingWebhookEvents(ctx); n != 0 {
			t.Fatalf("pending = %d after all finished", n)
		}
	})
}

// Many claimers at once (goroutines on one store each, as processes would
// be) take each due event exactly once.
func TestWebhookClaimsOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		s := tg.open(t)
		b, _ := s.CreateBasket(ctx, "", exampleParams)
		if _, err := s.CreateWebhook(ctx, "https://a.example/hook", []byte("x")); err != nil {
			t.Fatal(err)
		}
		const events = 60
		for range events {
			if _, err := s.RecordOutcome(ctx, Outcome{BasketID: b.ID, Status: StatusOK}); err != nil {
				t.Fatal(err)
			}
		}
		stores := []Store{s, tg.open(t), tg.open(t)}
		var mu sync.Mutex
		seen := map[string]int{}
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				st := stores[i%len(stores)]
				for {
					evs, err := st.ClaimWebhookEvents(ctx, time.Now(), time.Minute, 3)
					if err != nil {
						t.Error(err)
						return
					}
					if len(evs) == 0 {
						return
					}
					mu.Lock()
					for _, ev := range evs {
						seen[ev.EventID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(seen) != events {
			t.Fatalf("claimed %d distinct events, want %d", len(seen), events)
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("event %s claimed %d times", id, n)
			}
		}
	})
}
