package webhook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"basketlink/obs"
	"basketlink/store"
)

// Delivery settings.
const (
	// Timeout is how long an endpoint has to answer one attempt.
	Timeout = 10 * time.Second
	// MaxAge is how long an event is retried before it is given up.
	MaxAge = 72 * time.Hour
	// lease is how long a claimed event stays with its claimer: longer than
	// an attempt may take, so a live worker finishes before another may retry.
	lease = Timeout + 20*time.Second
	batch = 20
	// pendingEvery is how often an idle worker recounts the pending events.
	pendingEvery = 10 * time.Second
)

// Outbox is the part of the store the worker uses.
type Outbox interface {
	ClaimWebhookEvents(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.WebhookEvent, error)
	FinishWebhookAttempt(ctx context.Context, r store.AttemptResult) error
	PendingWebhookEvents(ctx context.Context) (int, error)
}

// Opener opens sealed secrets (secret.Key).
type Opener interface {
	Open(sealed []byte) ([]byte, error)
}

// Observer is told of every attempt and of the outbox's size.
type Observer interface {
	Delivery(result string)
	SetPending(n int)
}

// Worker delivers the outbox: it claims due events, posts each signed, and
// records every attempt. Several workers (processes) may share one store.
type Worker struct {
	Store  Outbox
	Key    Opener
	Logger *slog.Logger // nil: discard
	// Observer, when set, counts attempts (obs.DeliveryOK / obs.DeliveryFailed).
	Observer Observer
	// Client posts the events; nil: one with Timeout, no redirects, no proxy.
	Client *http.Client
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// Poll is how often the store is asked for due events; 0: one second.
	Poll time.Duration
	// Backoff is the delay after failed attempt n (1, 2, ...); nil: Backoff.
	Backoff func(attempt int) time.Duration

	once sync.Once
	wake chan struct{}
}

// Backoff grows from seconds to hours, each delay jittered by up to ±20%:
// the first retry comes within 10 s, later ones minutes and then hours apart.
func Backoff(attempt int) time.Duration {
	steps := []time.Duration{5 * time.Second, time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour}
	d := steps[min(max(attempt, 1), len(steps))-1]
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// NewClient is the HTTP client of deliveries: it goes to the URL given and
// nowhere else (no redirect is followed, no proxy used) and waits Timeout.
func NewClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	return &http.Client{
		Transport:     tr,
		Timeout:       Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func (w *Worker) init() {
	w.once.Do(func() {
		w.wake = make(chan struct{}, 1)
		if w.Client == nil {
			w.Client = NewClient()
		}
		if w.Logger == nil {
			w.Logger = slog.New(slog.DiscardHandler)
		}
		if w.Now == nil {
			w.Now = time.Now
		}
		if w.Poll <= 0 {
			w.Poll = time.Second
		}
		if w.Backoff == nil {
			w.Backoff = Backoff
		}
	})
}

// Wake makes a running worker look for due events now (an outcome was just
// recorded in this process).
func (w *Worker) Wake() {
	w.init()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	w.init()
	t := time.NewTicker(w.Poll)
	defer t.Stop()
	var counted time.Time
	for {
		n := w.RunOnce(ctx)
		if n == batch {
			continue // more may be due
		}
		// Events waiting for a later retry count as pending too: recount
		// now and then, not only after a round that delivered something.
		if n == 0 && time.Since(counted) > pendingEvery {
			w.countPending(ctx)
			counted = time.Now()
		}
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-t.C:
		}
	}
}

// RunOnce claims one batch of due events and delivers them all, in
// parallel; it returns how many it claimed.
func (w *Worker) RunOnce(ctx context.Context) int {
	w.init()
	evs, err := w.Store.ClaimWebhookEvents(ctx, w.Now(), lease, batch)
	if err != nil {
		if ctx.Err() == nil {
			w.Logger.Warn("webhook claim", "err", err)
		}
		return 0
	}
	var wg sync.WaitGroup
	for _, ev := range evs {
		wg.Go(func() { w.deliver(ctx, ev) })
	}
	wg.Wait()
	if len(evs) > 0 {
		w.countPending(ctx)
	}
	return len(evs)
}

// countPending tells the observer how many events wait.
func (w *Worker) countPending(ctx context.Context) {
	if w.Observer == nil {
		return
	}
	if n, err := w.Store.PendingWebhookEvents(ctx); err == nil {
		w.Observer.SetPending(n)
	}
}

func (w *Worker) deliver(ctx context.Context, ev store.WebhookEvent) {
	status, problem := w.post(ctx, ev)
	now := w.Now()
	r := store.AttemptResult{Event: ev, HTTPStatus: status, Error: problem, At: now, Delivered: problem == ""}
	result := obs.DeliveryOK
	if !r.Delivered {
		result = obs.DeliveryFailed
		if next := now.Add(w.Backoff(ev.Attempt)); next.Before(ev.CreatedAt.Add(MaxAge)) {
			r.Next = next
		}
	}
	// Record the attempt even when the worker is stopping.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := w.Store.FinishWebhookAttempt(fctx, r); err != nil {
		w.Logger.Warn("webhook record attempt", "event", ev.EventID, "err", err)
	}
	if w.Observer != nil {
		w.Observer.Delivery(result)
	}
	w.Logger.Info("webhook attempt", "event", ev.EventID, "endpoint", ev.EndpointID, "type", ev.Type,
		"attempt", ev.Attempt, "http_status", status, "error", problem, "given_up", !r.Delivered && r.Next.IsZero())
}

// post makes one attempt; it returns the HTTP status (0 for none) and what
// went wrong ("" for a 2xx answer).
func (w *Worker) post(ctx context.Context, ev store.WebhookEvent) (int, string) {
	sealed, err := w.Key.Open(ev.SealedSecret)
	if err != nil {
		return 0, "the endpoint's secret does not open with this server's key"
	}
	key, err := DecodeSecret(string(sealed))
	if err != nil {
		return 0, "the endpoint's secret is malformed"
	}
	body, err := Body(ev)
	if err != nil {
		return 0, fmt.Sprintf("encode event: %v", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ev.URL, strings.NewReader(string(body)))
	if err != nil {
		return 0, "bad endpoint URL"
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "basketlink-webhooks")
	SetHeaders(req.Header, key, ev.EventID, w.Now(), body)
	resp, err := w.Client.Do(req)
	if err != nil {
		return 0, describe(err, w.Client.Timeout)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Sprintf("HTTP %d", resp.StatusCode)
	}
	return resp.StatusCode, ""
}

// describe says why no answer came, without repeating the URL (its query
// may hold something the endpoint's owner considers private).
func describe(err error, timeout time.Duration) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "stopped before an answer"
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer within %s", timeout)
	}
	return err.Error()
}
