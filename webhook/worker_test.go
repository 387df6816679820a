package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"basketlink/obs"
	"basketlink/secret"
	"basketlink/store"
	"basketlink/webhook"
)

const params = `[{"exch":"NSE","qty":1,"side":"buy","sym":"RELIANCE","inst":"EQ","type":"market","validity":"day","product":"delivery"}]`

// received is one request a test receiver got.
type received struct {
	header http.Header
	body   []byte
}

// receiver is a real HTTP server that answers with answer(n) for its n-th
// request (1-based) and keeps every request.
type receiver struct {
	*httptest.Server
	mu  sync.Mutex
	got []received
}

func newReceiver(t testing.TB, answer func(n int, w http.ResponseWriter)) *receiver {
	rc := &receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{r.Header.Clone(), body})
		n := len(rc.got)
		rc.mu.Unlock()
		answer(n, w)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

type fixture struct {
	st     store.Store
	key    secret.Key
	basket store.Basket
}

func newFixture(t testing.TB) fixture { return newFixtureOn(t, "") }

// newFixtureOn opens the store on databaseURL ("" for SQLite).
func newFixtureOn(t testing.TB, databaseURL string) fixture {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir(), databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, err := secret.Load(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.CreateBasket(context.Background(), "Reliance buy", params)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{st, key, b}
}

// endpoint registers url and returns its id and its "whsec_" secret.
func (f fixture) endpoint(t testing.TB, url string) (string, string) {
	t.Helper()
	sec, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := f.key.Seal([]byte(sec))
	if err != nil {
		t.Fatal(err)
	}
	w, err := f.st.CreateWebhook(context.Background(), url, sealed)
	if err != nil {
		t.Fatal(err)
	}
	return w.ID, sec
}

func (f fixture) worker() *webhook.Worker {
	c := webhook.NewClient()
	c.Timeout = 300 * time.Millisecond
	return &webhook.Worker{Store: f.st, Key: f.key, Client: c, Backoff: func(int) time.Duration { return 50 * time.Millisecond }}
}

// runUntil runs the worker's rounds until done says so or 10 s pass.
func runUntil(t *testing.T, w *webhook.Worker, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatal("the worker did not finish within 10 s")
		}
		if w.RunOnce(context.Background()) == 0 {
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func TestDeliveredEventVerifies(t *testing.T) {
	f := newFixture(t)
	rc := newReceiver(t, func(int, http.ResponseWriter) {})
	_, sec := f.endpoint(t, rc.URL+"/hook?tenant=1")
	oid, err := f.st.RecordOutcome(context.Background(), store.Outcome{BasketID: f.basket.ID, Status: store.StatusRefused, HTTPStatus: 401, Message: "code expired"})
	if err != nil {
		t.Fatal(err)
	}
	w := f.worker()
	runUntil(t, w, func() bool { return len(rc.requests()) == 1 })
	got := rc.requests()[0]

	// Verified by the Standard Webhooks reference library, not by our code.
	wh, err := standardwebhooks.NewWebhook(sec)
	if err != nil {
		t.Fatal(err)
	}
	if err := wh.Verify(got.body, got.header); err != nil {
		t.Fatalf("reference library rejects the delivery: %v", err)
	}
	// And refuses a changed body.
	if err := wh.Verify(append(got.body[:len(got.body)-1:len(got.body)-1], ' ', '}'), got.header); err == nil {
		t.Fatal("reference library accepts a changed body")
	}
	var ev struct {
		Type      string `json:"type"`
		Timestamp string `json:"timestamp"`
		Data      struct {
			BasketID      string `json:"basket_id"`
			Label         string `json:"label"`
			OutcomeID     int64  `json:"outcome_id"`
			Status        string `json:"status"`
			BrokerStatus  int    `json:"broker_status"`
			BrokerMessage string `json:"broker_message"`
		} `json:"data"`
	}
	if err := json.Unmarshal(got.body, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Type != "outcome.failed" || ev.Timestamp == "" || ev.Data.BasketID != f.basket.ID || ev.Data.Label != "Reliance buy" ||
		ev.Data.OutcomeID != oid || ev.Data.Status != "refused" || ev.Data.BrokerStatus != 401 || ev.Data.BrokerMessage != "code expired" {
		t.Fatalf("event = %s", got.body)
	}
	if got.header.Get("Content-Type") != "application/json" {
		t.Fatalf("Content-Type %q", got.header.Get("Content-Type"))
	}
	// Our own verifier (listen's) agrees, and refuses another secret.
	key, _ := webhook.DecodeSecret(sec)
	if err := webhook.Verify(key, got.header, got.body, time.Now()); err != nil {
		t.Fatalf("webhook.Verify: %v", err)
	}
	other, _ := webhook.NewSecret()
	otherKey, _ := webhook.DecodeSecret(other)
	if err := webhook.Verify(otherKey, got.header, got.body, time.Now()); err == nil {
		t.Fatal("webhook.Verify accepts another secret's signature")
	}
}

// A 500, then no answer in time, then 200: three attempts with one
// webhook-id, each recorded, newest first.
func TestRetriesOn500AndTimeout(t *testing.T) {
	f := newFixture(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	rc := newReceiver(t, func(n int, w http.ResponseWriter) {
		switch n {
		case 1:
			w.WriteHeader(http.StatusInternalServerError)
		case 2:
			select { // past the client's timeout
			case <-release:
			case <-time.After(2 * time.Second):
			}
		}
	})
	id, _ := f.endpoint(t, rc.URL)
	if _, err := f.st.RecordOutcome(context.Background(), store.Outcome{BasketID: f.basket.ID, Status: store.StatusOK}); err != nil {
		t.Fatal(err)
	}
	w := f.worker()
	runUntil(t, w, func() bool {
		n, _ := f.st.PendingWebhookEvents(context.Background())
		return n == 0
	})
	reqs := rc.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	first := reqs[0].header.Get("webhook-id")
	for i, r := range reqs {
		if r.header.Get("webhook-id") != first || first == "" {
			t.Fatalf("request %d has webhook-id %q, the first %q", i+1, r.header.Get("webhook-id"), first)
		}
	}
	atts, err := f.st.WebhookAttempts(context.Background(), id, 10)
	if err != nil || len(atts) != 3 {
		t.Fatalf("attempts = %+v, %v", atts, err)
	}
	if atts[0].Attempt != 3 || atts[0].HTTPStatus != 200 || atts[0].Error != "" ||
		atts[1].Attempt != 2 || atts[1].HTTPStatus != 0 || atts[1].Error != "no answer within 300ms" ||
		atts[2].Attempt != 1 || atts[2].HTTPStatus != 500 || atts[2].Error != "HTTP 500" || atts[0].EventID != first {
		t.Fatalf("attempts = %+v", atts)
	}
}

// A redirect is an answer that is not 2xx: the worker never follows it.
func TestRedirectNotFollowed(t *testing.T) {
	f := newFixture(t)
	elsewhere := newReceiver(t, func(int, http.ResponseWriter) {})
	rc := newReceiver(t, func(_ int, w http.ResponseWriter) {
		w.Header().Set("Location", elsewhere.URL)
		w.WriteHeader(http.StatusTemporaryRedirect)
	})
	id, _ := f.endpoint(t, rc.URL)
	if _, err := f.st.RecordOutcome(context.Background(), store.Outcome{BasketID: f.basket.ID, Status: store.StatusOK}); err != nil {
		t.Fatal(err)
	}
	w := f.worker()
	runUntil(t, w, func() bool { return len(rc.requests()) >= 2 })
	if n := len(elsewhere.requests()); n != 0 {
		t.Fatalf("the redirect target got %d requests", n)
	}
	atts, _ := f.st.WebhookAttempts(context.Background(), id, 10)
	if len(atts) < 1 || atts[len(atts)-1].HTTPStatus != 307 {
		t.Fatalf("attempts = %+v", atts)
	}
}

func TestDeletedEndpointGetsNothingMore(t *testing.T) {
	f := newFixture(t)
	rc := newReceiver(t, func(_ int, w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) })
	kept := newReceiver(t, func(int, http.ResponseWriter) {})
	id, _ := f.endpoint(t, rc.URL)
	f.endpoint(t, kept.URL)
	ctx := context.Background()
	if _, err := f.st.RecordOutcome(ctx, store.Outcome{BasketID: f.basket.ID, Status: store.StatusCancelled}); err != nil {
		t.Fatal(err)
	}
	w := f.worker()
	runUntil(t, w, func() bool { return len(rc.requests()) == 1 && len(kept.requests()) == 1 })
	if err := f.st.DeleteWebhook(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.RecordOutcome(ctx, store.Outcome{BasketID: f.basket.ID, Status: store.StatusOK}); err != nil {
		t.Fatal(err)
	}
	// The kept endpoint gets the new event; the deleted one neither its
	// retry nor the new event, however long the worker runs.
	runUntil(t, w, func() bool { return len(kept.requests()) == 2 })
	for range 10 {
		w.RunOnce(ctx)
		time.Sleep(60 * time.Millisecond)
	}
	if n := len(rc.requests()); n != 1 {
		t.Fatalf("the deleted endpoint got %d requests, want 1 (before the delete)", n)
	}
}

func TestGivesUpAfterMaxAge(t *testing.T) {
	f := newFixture(t)
	rc := newReceiver(t, func(_ int, w http.ResponseWriter) { w.WriteHeader(http.StatusBadGateway) })
	f.endpoint(t, rc.URL)
	ctx := context.Background()
	if _, err := f.st.RecordOutcome(ctx, store.Outcome{BasketID: f.basket.ID, Status: store.StatusOK}); err != nil {
		t.Fatal(err)
	}
	w := f.worker()
	now := time.Now()
	w.Now = func() time.Time { return now }
	w.Backoff = func(int) time.Duration { return 25 * time.Hour }
	for i := 1; i <= 4; i++ {
		want := 1
		if i == 4 {
			want = 0
		}
		if n := w.RunOnce(ctx); n != want {
			t.Fatalf("round %d claimed %d events, want %d", i, n, want)
		}
		now = now.Add(25 * time.Hour)
	}
	// Attempts at 0, 25 h and 50 h; the next would pass 72 h: given up.
	if n := len(rc.requests()); n != 3 {
		t.Fatalf("%d attempts, want 3", n)
	}
	if p, _ := f.st.PendingWebhookEvents(ctx); p != 0 {
		t.Fatalf("%d pending after giving up", p)
	}
}

func TestBackoffGrows(t *testing.T) {
	if d := webhook.Backoff(1); d > 10*time.Second || d < time.Second {
		t.Fatalf("first retry after %s, want within 10 s", d)
	}
	if d := webhook.Backoff(3); d < time.Minute || d > time.Hour {
		t.Fatalf("third retry after %s, want minutes", d)
	}
	if d := webhook.Backoff(9); d < time.Hour {
		t.Fatalf("ninth retry after %s, want hours", d)
	}
}

func TestCheckURL(t *testing.T) {
	for _, ok := range []string{"https://hooks.example.com/basketlink", "http://127.0.0.1:9000/", "http://localhost:9000", "http://[::1]:9000/x"} {
		if _, err := webhook.CheckURL(ok); err != nil {
			t.Errorf("CheckURL(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "hooks.example.com", "http://hooks.example.com/", "http://10.0.0.1/", "ftp://x/", "https://u:p@x.example/", "javascript:alert(1)"} {
		if _, err := webhook.CheckURL(bad); err == nil {
			t.Errorf("CheckURL(%q) accepted", bad)
		}
	}
}

// The metrics: one attempt per result, and the pending gauge.
func TestWorkerMetrics(t *testing.T) {
	f := newFixture(t)
	rc := newReceiver(t, func(n int, w http.ResponseWriter) {
		if n == 1 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	})
	f.endpoint(t, rc.URL)
	if _, err := f.st.RecordOutcome(context.Background(), store.Outcome{BasketID: f.basket.ID, Status: store.StatusOK}); err != nil {
		t.Fatal(err)
	}
	m := obs.NewMetrics(store.StatusOK)
	w := f.worker()
	w.Observer = m
	w.Backoff = func(int) time.Duration { return time.Hour }
	w.RunOnce(context.Background())
	text := scrape(t, m)
	for _, want := range []string{`basketlink_webhook_deliveries_total{result="failed"} 1`, `basketlink_webhook_pending 1`} {
		if !strings.Contains(text, want) {
			t.Fatalf("metrics lack %s:\n%s", want, text)
		}
	}
	now := time.Now().Add(2 * time.Hour)
	w.Now = func() time.Time { return now }
	w.RunOnce(context.Background())
	text = scrape(t, m)
	for _, want := range []string{`basketlink_webhook_deliveries_total{result="ok"} 1`, `basketlink_webhook_pending 0`} {
		if !strings.Contains(text, want) {
			t.Fatalf("metrics lack %s:\n%s", want, text)
		}
	}
}

func scrape(t *testing.T, m *obs.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return rec.Body.String()
}
