package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"basketlink/webhook"
)

var listeningAt = regexp.MustCompile(`listening for webhooks on (http://127\.0\.0\.1:\d+)`)

func TestWebhooksListen(t *testing.T) {
	sec, _ := webhook.NewSecret()
	key, _ := webhook.DecodeSecret(sec)
	ctx, cancel := context.WithCancel(context.Background())
	out, errs := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"webhooks", "listen", "--secret", sec, "--addr", "127.0.0.1:0"}, strings.NewReader(""), out, errs, func(string) string { return "" })
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("listen exited %d: %s", code, errs)
		}
	})
	var base string
	waitFor(t, 10*time.Second, "listen to start", func() bool {
		m := listeningAt.FindStringSubmatch(out.String())
		if m != nil {
			base = m[1]
		}
		return m != nil
	})
	body := []byte(`{"type":"outcome.completed","timestamp":"2026-11-29T07:00:00Z","data":{"basket_id":"abc","label":"x","outcome_id":7,"status":"completed","broker_status":null,"broker_message":""}}`)
	post := func(k []byte) int {
		req, _ := http.NewRequest(http.MethodPost, base, strings.NewReader(string(body)))
		webhook.SetHeaders(req.Header, k, "evt_7_abc", time.Now(), body)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(key); code != 200 {
		t.Fatalf("a signed event: %d", code)
	}
	other, _ := webhook.NewSecret()
	otherKey, _ := webhook.DecodeSecret(other)
	if code := post(otherKey); code != 401 {
		t.Fatalf("a badly signed event: %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "outcome.completed basket=abc status=completed outcome=7 id=evt_7_abc") ||
		!strings.HasPrefix(lines[2], "rejected evt_7_abc") {
		t.Fatalf("output:\n%s", out)
	}
	if code := run(context.Background(), []string{"webhooks", "listen", "--secret", "nope"}, strings.NewReader(""), io.Discard, io.Discard, func(string) string { return "" }); code != exitUsage {
		t.Fatalf("a malformed secret: exit %d", code)
	}
}
