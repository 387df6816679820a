package obs

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRequestID(t *testing.T) {
	for _, tc := range []struct {
		given string
		kept  bool
	}{
		{"9f1c2e7a-5b1d-4c1e-8a11-0d2b3c4d5e6f", true},
		{"a", true},
		{strings.Repeat("x", 128), true},
		{"", false},
		{strings.Repeat("x", 129), false},
		{"has space", false},
		{"line\nbreak", false},
		{"tab\t", false},
		{"ünï", false},
	} {
		got := RequestID(tc.given)
		if (got == tc.given) != tc.kept {
			t.Errorf("RequestID(%q) = %q, kept %v, want kept %v", tc.given, got, got == tc.given, tc.kept)
		}
		if !tc.kept && (len(got) != 32 || !saneID(got)) {
			t.Errorf("RequestID(%q) made %q, want 32 hex characters", tc.given, got)
		}
	}
	if RequestID("") == RequestID("") {
		t.Error("two made ids are equal")
	}
}

func TestLoggerCarriesRequestID(t *testing.T) {
	var buf bytes.Buffer
	log, err := NewLogger(&buf, "json", "info")
	if err != nil {
		t.Fatal(err)
	}
	ctx := WithRequestID(context.Background(), "req-1")
	log.With("part", "share").InfoContext(ctx, "callback")
	log.DebugContext(ctx, "hidden at info")
	log.Info("no request")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got:\n%s", buf.String())
	}
	var first, second map[string]any
	_ = json.Unmarshal([]byte(lines[0]), &first)
	_ = json.Unmarshal([]byte(lines[1]), &second)
	if first["request_id"] != "req-1" || first["part"] != "share" || second["request_id"] != nil {
		t.Fatalf("lines: %v / %v", first, second)
	}
	for _, bad := range [][2]string{{"xml", "info"}, {"text", "verbose"}} {
		if _, err := NewLogger(io.Discard, bad[0], bad[1]); err == nil {
			t.Errorf("NewLogger(%q, %q) accepted", bad[0], bad[1])
		}
	}
}

func TestMetricsAreApart(t *testing.T) {
	a, b := NewMetrics("ok"), NewMetrics("ok")
	a.Click()
	a.Outcome("ok")
	a.Request("/b/:id/go", 302, 3*time.Millisecond)
	a.Delivery(DeliveryFailed)
	a.SetPending(4)
	text := func(m *Metrics) string {
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		return rec.Body.String()
	}
	ta, tb := text(a), text(b)
	for _, want := range []string{"basketlink_clicks_total 1", `basketlink_outcomes_total{status="ok"} 1`,
		`basketlink_http_requests_total{code="302",route="/b/:id/go"} 1`, `basketlink_webhook_deliveries_total{result="failed"} 1`,
		"basketlink_webhook_pending 4", "go_goroutines"} {
		if !strings.Contains(ta, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if !strings.Contains(tb, "basketlink_clicks_total 0") || !strings.Contains(tb, `basketlink_outcomes_total{status="ok"} 0`) {
		t.Errorf("a second registry saw the first one's counts:\n%s", tb)
	}
}
