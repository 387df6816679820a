package main

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

var metricsLine = regexp.MustCompile(`metrics on (http://127\.0\.0\.1:\d+/metrics)`)

// metricsURL waits for serve to say where its metrics listen.
func metricsURL(t *testing.T, srv *testServer) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if m := metricsLine.FindStringSubmatch(srv.Out.String()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("serve never said where the metrics are:\n%s", srv.Out)
	return ""
}

// scrape reads /metrics into series name{labels} -> value.
func scrape(t *testing.T, u string) map[string]string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	series := map[string]string{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		series[line[:i]] = line[i+1:]
	}
	return series
}

func TestMetricsAfterAFlow(t *testing.T) {
	srv := startServe(t, nil, "--sim-auto", "approve", "--metrics-addr", "127.0.0.1:0")
	mu := metricsURL(t, srv)
	before := scrape(t, mu)
	for _, s := range []string{
		`basketlink_clicks_total`, `basketlink_outcomes_total{status="ok"}`, `basketlink_outcomes_total{status="refused"}`,
		`basketlink_webhook_deliveries_total{result="ok"}`, `basketlink_webhook_deliveries_total{result="failed"}`,
		`basketlink_webhook_pending`, `basketlink_broker_exchange_duration_seconds_count`,
	} {
		if before[s] != "0" {
			t.Errorf("before any flow %s = %q, want 0", s, before[s])
		}
	}

	b := newBrowser(t, nil)
	c := createBasket(t, b, srv.URL, liveBasket(t), "metrics")
	oc, _ := click(t, b, c.ShortURL)
	if status, _, body := b.get(approve(t, b, oc)); status != http.StatusOK {
		t.Fatalf("callback: %d %s", status, body)
	}
	if status, _, _ := b.get(srv.URL + "/no/such/page/" + c.ID); status != http.StatusNotFound {
		t.Fatalf("unknown page: %d", status)
	}
	if status, _, _ := b.get(srv.URL + "/b/AAAAAAAAAAAAAAAA"); status != http.StatusNotFound {
		t.Fatalf("unknown basket: %d", status)
	}

	after := scrape(t, mu)
	for s, want := range map[string]string{
		`basketlink_http_requests_total{code="201",route="/api/v1/baskets"}`: "1",
		`basketlink_http_requests_total{code="302",route="/b/:id/go"}`:       "1",
		`basketlink_http_requests_total{code="200",route="/callback"}`:       "1",
		`basketlink_http_requests_total{code="404",route="unmatched"}`:       "1",
		`basketlink_http_request_duration_seconds_count{route="/b/:id/go"}`:  "1",
		`basketlink_clicks_total`:                           "1",
		`basketlink_outcomes_total{status="ok"}`:            "1",
		`basketlink_outcomes_total{status="refused"}`:       "0",
		`basketlink_broker_exchange_duration_seconds_count`: "1",
	} {
		if after[s] != want {
			t.Errorf("after the flow %s = %q, want %s", s, after[s], want)
		}
	}
	for s := range after {
		if strings.Contains(s, c.ID) {
			t.Errorf("a series names the basket id: %s", s)
		}
	}
	// The metrics are on their own listener, not on the app's.
	if status, _, _ := b.get(srv.URL + "/metrics"); status != http.StatusNotFound {
		t.Errorf("the app answers /metrics with %d, want 404", status)
	}
}

func TestMetricsOffByDefault(t *testing.T) {
	srv := startServe(t, nil)
	time.Sleep(50 * time.Millisecond)
	if strings.Contains(srv.Out.String(), "metrics") {
		t.Fatalf("metrics served without --metrics-addr:\n%s", srv.Out)
	}
	if code, _, stderr := runCLI(t, "", "serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--metrics-addr", "nonsense"); code != exitUsage || !strings.Contains(stderr, "--metrics-addr") {
		t.Fatalf("a bad --metrics-addr: exit %d %s", code, stderr)
	}
}

// logLines returns serve's JSON log lines with msg.
func logLines(t *testing.T, srv *testServer, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(srv.Logs.String(), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("a log line is not JSON: %q", l)
		}
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

func TestRequestIDKeptOrMade(t *testing.T) {
	srv := startServe(t, map[string]string{"BASKETLINK_LOG_FORMAT": "json"}, "--sim-auto", "approve")
	b := newBrowser(t, nil)
	get := func(id string) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/livez", nil)
		if id != "" {
			req.Header.Set("X-Request-ID", id)
		}
		resp, err := b.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get("X-Request-ID")
	}
	if got := get("lb-7f3a-0001"); got != "lb-7f3a-0001" {
		t.Errorf("a sane id came back as %q", got)
	}
	made := regexp.MustCompile(`^[0-9a-f]{32}$`)
	for _, bad := range []string{"", strings.Repeat("x", 129), "two words", "é"} {
		if got := get(bad); !made.MatchString(got) {
			t.Errorf("X-Request-ID %q: answered %q, want a fresh id", bad, got)
		}
	}

	// Every log line of a callback names its id: the request line and the share flow's.
	c := createBasket(t, b, srv.URL, liveBasket(t), "ids")
	oc, _ := click(t, b, c.ShortURL)
	status, _, _ := b.do(http.MethodGet, approve(t, b, oc), "", "", "X-Request-ID", "cb-42")
	if status != http.StatusOK {
		t.Fatalf("callback: %d", status)
	}
	var sawRequest, sawCallback bool
	time.Sleep(50 * time.Millisecond) // the request line is written after the answer
	for _, m := range logLines(t, srv, "request") {
		if m["path"] == "/livez" && m["request_id"] == "lb-7f3a-0001" {
			sawRequest = true
		}
		if id, _ := m["request_id"].(string); id == "" {
			t.Errorf("a request line without request_id: %v", m)
		}
	}
	for _, m := range logLines(t, srv, "callback") {
		sawCallback = sawCallback || m["request_id"] == "cb-42"
	}
	if !sawRequest || !sawCallback {
		t.Errorf("request line with the id: %v, callback line with the id: %v\n%s", sawRequest, sawCallback, srv.Logs)
	}
}

func TestLogFlags(t *testing.T) {
	srv := startServe(t, nil, "--log-level", "warn")
	b := newBrowser(t, nil)
	b.get(srv.URL + "/livez")
	time.Sleep(50 * time.Millisecond)
	if strings.Contains(srv.Logs.String(), "msg=request") || strings.Contains(srv.Logs.String(), "msg=serving") {
		t.Fatalf("--log-level warn still writes info lines:\n%s", srv.Logs)
	}
	for _, args := range [][]string{{"--log-format", "xml"}, {"--log-level", "loud"}} {
		code, _, stderr := runCLI(t, "", append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, args...)...)
		if code != exitUsage || !strings.Contains(stderr, args[1]) {
			t.Errorf("%v: exit %d %s", args, code, stderr)
		}
	}
}

// clientOf returns the client address serve logged for a request to path.
func clientOf(t *testing.T, srv *testServer, path string) string {
	t.Helper()
	time.Sleep(50 * time.Millisecond)
	for _, m := range logLines(t, srv, "request") {
		if m["path"] == path {
			s, _ := m["client"].(string)
			return s
		}
	}
	t.Fatalf("no request line for %s:\n%s", path, srv.Logs)
	return ""
}

func TestTrustedProxies(t *testing.T) {
	spoof := func(srv *testServer, path string) {
		b := newBrowser(t, nil)
		b.do(http.MethodGet, srv.URL+path, "", "", "X-Forwarded-For", "203.0.113.9", "X-Real-IP", "203.0.113.10")
	}
	// No trusted proxy: the header is ignored, the client is the peer.
	direct := startServe(t, nil, "--log-format", "json")
	spoof(direct, "/livez")
	if got := clientOf(t, direct, "/livez"); got != "127.0.0.1" {
		t.Errorf("untrusted X-Forwarded-For: client %q, want 127.0.0.1", got)
	}
	// A trusted proxy in front: its X-Forwarded-For names the client.
	proxied := startServe(t, map[string]string{"BASKETLINK_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1"}, "--log-format", "json")
	spoof(proxied, "/readyz")
	if got := clientOf(t, proxied, "/readyz"); got != "203.0.113.9" {
		t.Errorf("X-Forwarded-For from a trusted proxy: client %q, want 203.0.113.9", got)
	}
	// Trusting another range does not trust this peer.
	other := startServe(t, nil, "--log-format", "json", "--trusted-proxies", "10.1.2.0/24")
	spoof(other, "/livez")
	if got := clientOf(t, other, "/livez"); got != "127.0.0.1" {
		t.Errorf("a peer outside --trusted-proxies: client %q, want 127.0.0.1", got)
	}
	code, _, stderr := runCLI(t, "", "serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--trusted-proxies", "10.0.0.0/33")
	if code != exitUsage || !strings.Contains(stderr, `"10.0.0.0/33"`) {
		t.Errorf("a bad range: exit %d %s", code, stderr)
	}
}

func TestVersion(t *testing.T) {
	code, stdout, _ := runCLI(t, "", "version")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != exitOK || len(lines) != 3 || !strings.HasPrefix(lines[0], "basketlink ") || !strings.HasPrefix(lines[1], "commit ") || lines[2] != runtime.Version() {
		t.Fatalf("version: exit %d\n%s", code, stdout)
	}
	if code, _, _ := runCLI(t, "", "version", "extra"); code != exitUsage {
		t.Fatalf("version extra: exit %d", code)
	}
}

func TestHealthcheck(t *testing.T) {
	srv := startServe(t, nil)
	if code, stdout, stderr := runCLI(t, "", "healthcheck", "--url", srv.URL); code != exitOK || stdout != "ok\n" {
		t.Fatalf("healthy server: exit %d %q %s", code, stdout, stderr)
	}

	sick := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/livez" {
			t.Errorf("healthcheck asked %s", r.URL.Path)
		}
		http.Error(w, "no", http.StatusServiceUnavailable)
	}))
	defer sick.Close()
	if code, _, stderr := runCLI(t, "", "healthcheck", "--url", sick.URL+"/"); code != exitInvalid || !strings.Contains(stderr, "503") {
		t.Fatalf("a 503: exit %d %s", code, stderr)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	if code, _, stderr := runCLI(t, "", "healthcheck", "--url", closed); code != exitInvalid || !strings.Contains(stderr, "refused") {
		t.Fatalf("nothing listening: exit %d %s", code, stderr)
	}

	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer slow.Close()
	if code, _, stderr := runCLI(t, "", "healthcheck", "--url", slow.URL, "--timeout", "200ms"); code != exitInvalid || !strings.Contains(stderr, "no answer within 200ms") {
		t.Fatalf("a server that never answers: exit %d %s", code, stderr)
	}
	if code, _, _ := runCLI(t, "", "healthcheck", "--url", "ftp://x"); code != exitUsage {
		t.Fatalf("a bad --url: exit %d", code)
	}
}
