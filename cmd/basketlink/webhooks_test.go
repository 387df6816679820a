package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"basketlink/internal/pgtest"
	"basketlink/store"
	"basketlink/webhook"
)

// hookReceiver is a real receiver that answers status(n) to its n-th request.
type hookReceiver struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []hookRequest
}

type hookRequest struct {
	header http.Header
	body   []byte
}

func newHookReceiver(t testing.TB, status func(n int) int) *hookReceiver {
	rc := &hookReceiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.reqs = append(rc.reqs, hookRequest{r.Header.Clone(), body})
		n := len(rc.reqs)
		rc.mu.Unlock()
		w.WriteHeader(status(n))
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *hookReceiver) requests() []hookRequest {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]hookRequest(nil), rc.reqs...)
}

// waitFor polls cond for up to d.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %s waiting for %s", d, what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// addWebhook registers url over the API and returns {"id","url","secret"}.
func addWebhook(t testing.TB, base, url string, header ...string) webhookCreated {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/webhooks", strings.NewReader(`{"url":`+strconvQuote(url)+`}`))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/v1/webhooks: %d %s", resp.StatusCode, body)
	}
	var w webhookCreated
	if err := json.Unmarshal(body, &w); err != nil {
		t.Fatal(err)
	}
	return w
}

type webhookCreated struct {
	ID, URL, Secret string
}

func TestWebhookAPI(t *testing.T) {
	srv := startServe(t, nil, "--sim-auto", "approve")
	rc := newHookReceiver(t, func(int) int { return 200 })
	w := addWebhook(t, srv.URL, rc.URL+"/hooks")
	if !strings.HasPrefix(w.Secret, "whsec_") || w.URL != rc.URL+"/hooks" || w.ID == "" {
		t.Fatalf("created %+v", w)
	}
	if key, err := webhook.DecodeSecret(w.Secret); err != nil || len(key) < 24 {
		t.Fatalf("secret decodes to %d bytes, %v", len(key), err)
	}
	br := newBrowser(t, nil)
	status, _, list := br.get(srv.URL + "/api/v1/webhooks")
	if status != 200 || !strings.Contains(list, w.ID) || strings.Contains(list, "whsec_") || strings.Contains(list, "secret") {
		t.Fatalf("list: %d %s", status, list)
	}
	for _, bad := range []struct{ body, want string }{
		{`{"url":"http://hooks.example.com/x"}`, "https"},
		{`{"url":"ftp://x/"}`, "https"},
		{`{"url":""}`, "URL"},
		{`{"nope":1}`, "url"},
		{`[1]`, "url"},
	} {
		status, _, out := br.do(http.MethodPost, srv.URL+"/api/v1/webhooks", "application/json", bad.body)
		if status != 422 && status != 400 || !strings.Contains(out, bad.want) {
			t.Errorf("POST %s: %d %s", bad.body, status, out)
		}
	}
	// An outcome is delivered, and listed among the endpoint's deliveries.
	c := createBasket(t, br, srv.URL, liveBasket(t), "api")
	oc, _ := click(t, br, c.ShortURL)
	br.get(approve(t, br, oc))
	waitFor(t, 10*time.Second, "the delivery", func() bool { return len(rc.requests()) == 1 })
	var deliveries struct {
		Deliveries []struct {
			EventID    string `json:"event_id"`
			Type       string `json:"type"`
			Attempt    int    `json:"attempt"`
			HTTPStatus int    `json:"http_status"`
		} `json:"deliveries"`
	}
	waitFor(t, 5*time.Second, "the attempt's record", func() bool {
		_, _, out := br.get(srv.URL + "/api/v1/webhooks/" + w.ID + "/deliveries")
		return json.Unmarshal([]byte(out), &deliveries) == nil && len(deliveries.Deliveries) == 1
	})
	d := deliveries.Deliveries[0]
	if d.Type != "outcome.completed" || d.Attempt != 1 || d.HTTPStatus != 200 || d.EventID != rc.requests()[0].header.Get("webhook-id") {
		t.Fatalf("deliveries = %+v", deliveries)
	}
	// The link's own page lists the delivery too.
	if _, _, page := br.get(srv.URL + "/links/" + c.ID); !strings.Contains(page, `id="deliveries"`) || !strings.Contains(page, d.EventID) {
		t.Errorf("the link's page does not list delivery %s", d.EventID)
	}
	if status, _, _ := br.do(http.MethodDelete, srv.URL+"/api/v1/webhooks/"+w.ID, "", ""); status != http.StatusNoContent {
		t.Fatalf("DELETE: %d", status)
	}
	if status, _, _ := br.do(http.MethodDelete, srv.URL+"/api/v1/webhooks/"+w.ID, "", ""); status != http.StatusNotFound {
		t.Fatalf("second DELETE: %d", status)
	}
	// Deleted: the next outcome goes nowhere.
	oc, _ = click(t, br, c.ShortURL)
	br.get(approve(t, br, oc))
	time.Sleep(1500 * time.Millisecond)
	if n := len(rc.requests()); n != 1 {
		t.Fatalf("the deleted endpoint got %d requests", n)
	}
	if strings.Contains(srv.Logs.String(), w.Secret) || strings.Contains(srv.Out.String(), w.Secret) {
		t.Fatal("the secret reached the log")
	}
}

// buildBinary builds basketlink once per test run.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "basketlink-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "basketlink")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", &buildError{string(out)}
	}
	return bin, nil
})

type buildError struct{ out string }

func (e *buildError) Error() string { return "go build: " + e.out }

// process is a real `basketlink serve` process.
type process struct {
	cmd *exec.Cmd
	URL string
}

var servingAt = regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)`)

func startProcess(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd}
	t.Cleanup(func() { p.kill() })
	lines := bufio.NewScanner(out)
	found := make(chan string, 1)
	go func() {
		for lines.Scan() {
			if m := servingAt.FindStringSubmatch(lines.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case p.URL = <-found:
	case <-time.After(20 * time.Second):
		t.Fatal("the serve process did not start")
	}
	return p
}

func (p *process) kill() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		_ = p.cmd.Wait()
	}
}

// TestWebhookSurvivesSIGKILL: the endpoint answers 500 to the first
// attempt; the server is killed (SIGKILL) with the event pending; started
// again on the same data dir, it delivers the event, with the same
// webhook-id and a valid signature.
func TestWebhookSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	rc := newHookReceiver(t, func(n int) int {
		if n == 1 {
			return 500
		}
		return 200
	})
	p := startProcess(t, nil, "--data-dir", dir, "--sim-auto", "approve")
	w := addWebhook(t, p.URL, rc.URL)
	br := newBrowser(t, nil)
	c := createBasket(t, br, p.URL, liveBasket(t), "crash")
	oc, _ := click(t, br, c.ShortURL)
	br.get(approve(t, br, oc))
	waitFor(t, 10*time.Second, "the first attempt", func() bool { return len(rc.requests()) == 1 })
	// Let the attempt's record land, then kill.
	time.Sleep(300 * time.Millisecond)
	p.kill()

	st, err := store.Open(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	pending, err := st.PendingWebhookEvents(context.Background())
	st.Close()
	if err != nil || pending != 1 {
		t.Fatalf("after the kill: %d pending, %v; want 1", pending, err)
	}

	startProcess(t, nil, "--data-dir", dir, "--sim-auto", "approve")
	waitFor(t, 20*time.Second, "the delivery after the restart", func() bool { return len(rc.requests()) == 2 })
	reqs := rc.requests()
	if reqs[0].header.Get("webhook-id") != reqs[1].header.Get("webhook-id") {
		t.Fatalf("webhook-id changed: %q then %q", reqs[0].header.Get("webhook-id"), reqs[1].header.Get("webhook-id"))
	}
	key, _ := webhook.DecodeSecret(w.Secret)
	if err := webhook.Verify(key, reqs[1].header, reqs[1].body, time.Now()); err != nil {
		t.Fatalf("the redelivery does not verify: %v", err)
	}
}

// TestWebhookReplicasDeliverOnce: two serve processes on one PostgreSQL
// database; 30 outcomes recorded across both; the receiver answers 200 and
// gets each event exactly once.
func TestWebhookReplicasDeliverOnce(t *testing.T) {
	pgtest.Require(t)
	r := startReplicas(t)
	rc := newHookReceiver(t, func(int) int { return 200 })
	w := addWebhook(t, r.a.URL, rc.URL)
	br := newBrowser(t, nil)
	c := createBasket(t, br, r.a.URL, liveBasket(t), "replicas")
	const outcomes = 30
	for i := range outcomes {
		srv := []*testServer{r.a, r.b}[i%2]
		oc, _ := click(t, br, onReplica(t, c.ShortURL, srv))
		br.get(onReplica(t, approve(t, br, oc), srv))
	}
	waitFor(t, 20*time.Second, "every delivery", func() bool { return len(rc.requests()) >= outcomes })
	time.Sleep(2 * time.Second) // time for any duplicate to arrive
	seen := map[string]int{}
	key, _ := webhook.DecodeSecret(w.Secret)
	for _, req := range rc.requests() {
		seen[req.header.Get("webhook-id")]++
		if err := webhook.Verify(key, req.header, req.body, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != outcomes || len(rc.requests()) != outcomes {
		t.Fatalf("%d requests for %d distinct events, want %d each once", len(rc.requests()), len(seen), outcomes)
	}
	// Both replicas delivered some (each claims what it finds due).
	if !strings.Contains(r.a.Logs.String(), "webhook attempt") || !strings.Contains(r.b.Logs.String(), "webhook attempt") {
		t.Log("only one replica delivered; exactly-once still held")
	}
}

// TestWebhooksPage: the creator's page adds (secret shown once), refuses a
// bad URL in words, lists, and deletes, with plain forms.
func TestWebhooksPage(t *testing.T) {
	srv := startServe(t, nil)
	b := newBrowser(t, nil)
	status, _, body := b.do(http.MethodPost, srv.URL+"/webhooks", "application/x-www-form-urlencoded", "url=http%3A%2F%2Fhooks.example.com%2Fx", "Origin", srv.URL)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="webhook-error"`) || !strings.Contains(body, "https") {
		t.Fatalf("a bad URL: %d %.2000s", status, body)
	}
	status, _, body = b.do(http.MethodPost, srv.URL+"/webhooks", "application/x-www-form-urlencoded", "url=https%3A%2F%2Fhooks.example.com%2Fbasketlink", "Origin", srv.URL)
	if status != http.StatusOK || !strings.Contains(body, `id="webhook-secret" value="whsec_`) {
		t.Fatalf("add: %d %.2000s", status, body)
	}
	status, _, list := b.get(srv.URL + "/webhooks")
	if status != 200 || !strings.Contains(list, "https://hooks.example.com/basketlink") || strings.Contains(list, "whsec_") {
		t.Fatalf("list: %d %.2000s", status, list)
	}
	i := strings.Index(list, `action="/webhooks/`)
	action := strings.SplitN(list[i+len(`action="`):], `"`, 2)[0]
	if status, loc, _ := b.do(http.MethodPost, srv.URL+action, "application/x-www-form-urlencoded", "", "Origin", srv.URL); status != http.StatusSeeOther || loc != "/webhooks" {
		t.Fatalf("delete: %d %q", status, loc)
	}
	if _, _, list := b.get(srv.URL + "/webhooks"); !strings.Contains(list, `id="no-webhooks"`) {
		t.Fatalf("after delete: %.2000s", list)
	}
	// Cross-site form posts are refused.
	if status, _, _ := b.do(http.MethodPost, srv.URL+"/webhooks", "application/x-www-form-urlencoded", "url=https%3A%2F%2Fevil.example%2F", "Sec-Fetch-Site", "cross-site"); status != http.StatusForbidden {
		t.Fatalf("cross-site add: %d", status)
	}
}
