package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
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
		done <- run(ctx, []string{"webhooks", "listen", "--addr", "127.0.0.1:0"}, strings.NewReader(""), out, errs, envOf(map[string]string{"BASKETLINK_WEBHOOK_SECRET": sec}))
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
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// TestWebhooksListenSecret: the secret comes from one of the environment,
// a file or a file named in the environment; never a flag (the process
// list shows flags), never two ways at once, and no error repeats it.
func TestWebhooksListenSecret(t *testing.T) {
	sec, _ := webhook.NewSecret()
	file := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(file, []byte(sec+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	listen := func(env map[string]string, args ...string) (int, string) {
		var errs lockedBuffer
		code := run(context.Background(), append([]string{"webhooks", "listen", "--addr", "256.0.0.1:1"}, args...), strings.NewReader(""), io.Discard, &errs, envOf(env))
		return code, errs.String()
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string // in the error; "" when the secret is accepted (then the bad address fails)
	}{
		{"as a flag", nil, []string{"--secret", sec}, "--secret is refused: a secret given as a flag value shows in the process list"},
		{"none", nil, nil, "give the endpoint's secret"},
		{"two ways", map[string]string{"BASKETLINK_WEBHOOK_SECRET": sec}, []string{"--secret-file", file}, "the webhook secret is set 2 ways (--secret-file, BASKETLINK_WEBHOOK_SECRET); keep one"},
		{"malformed", map[string]string{"BASKETLINK_WEBHOOK_SECRET": "nope-not-a-secret"}, nil, "the webhook secret: "},
		{"unreadable file", nil, []string{"--secret-file", file + ".missing"}, "--secret-file: cannot read " + file + ".missing"},
		{"from a file", nil, []string{"--secret-file", file}, ""},
		{"from a file named in the environment", map[string]string{"BASKETLINK_WEBHOOK_SECRET_FILE": file}, nil, ""},
	} {
		code, stderr := listen(tc.env, tc.args...)
		if code != exitUsage {
			t.Errorf("%s: exit %d, want %d", tc.name, code, exitUsage)
		}
		if strings.Contains(stderr, sec) || strings.Contains(stderr, "nope-not-a-secret") {
			t.Errorf("%s: the error repeats the secret:\n%s", tc.name, stderr)
		}
		if tc.want == "" {
			if strings.Contains(stderr, "secret") {
				t.Errorf("%s: the secret was not taken:\n%s", tc.name, stderr)
			}
			continue
		}
		if !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: stderr %q, want it to say %q", tc.name, stderr, tc.want)
		}
	}
}
