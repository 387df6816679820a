package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"basketlink/tradejini"
)

// lockedBuffer is a bytes.Buffer safe for the concurrent writes of a running command.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// simCommand is `basketlink sim` running in-process on a real port.
type simCommand struct {
	base   string
	stderr *lockedBuffer
	cancel context.CancelFunc
	done   chan int
}

// startSimCommand runs `basketlink sim --addr 127.0.0.1:0 args...` and reads
// the base URL it prints; the command is stopped when the test ends.
func startSimCommand(t testing.TB, args ...string) *simCommand {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &simCommand{stderr: &lockedBuffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() {
		s.done <- run(ctx, append([]string{"sim", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), pw, s.stderr, func(string) string { return "" })
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	if err != nil {
		cancel()
		t.Fatalf("basketlink sim printed no base URL: %v; stderr:\n%s", err, s.stderr)
	}
	s.base = strings.TrimSpace(line)
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop cancels the command's context and checks it shut down cleanly.
func (s *simCommand) stop(t testing.TB) {
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	select {
	case code := <-s.done:
		if code != exitOK {
			t.Errorf("basketlink sim exited %d after shutdown; stderr:\n%s", code, s.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Error("basketlink sim did not stop within 10s of its context ending")
	}
	for _, secret := range []string{"SIMSECRET", "sim-password", "JBSWY3DPEHPK3PXP"} {
		if strings.Contains(s.stderr.String(), secret) {
			t.Errorf("basketlink sim logged the secret %q", secret)
		}
	}
}

// runCommand runs one basketlink command and returns its exit code and output.
func runCommand(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errOut, func(string) string { return "" })
	return code, out.String(), errOut.String()
}

func TestSimCommandServesUnderV2(t *testing.T) {
	s := startSimCommand(t, "--sim-auto", "approve", "--sim-as-of", "2022-11-21")
	if !strings.HasPrefix(s.base, "http://127.0.0.1:") || !strings.HasSuffix(s.base, "/v2") {
		t.Fatalf("base URL %q, want http://127.0.0.1:PORT/v2", s.base)
	}
	code, out, errOut := runCommand("link", "--client-id", "SIMKEY", "--redirect-uri", "http://127.0.0.1:8080/callback",
		"--base-url", s.base, "--as-of", "2022-11-21", "--state", "xyz", "../../basket/testdata/documented.json")
	if code != exitOK {
		t.Fatalf("link exited %d: %s", code, errOut)
	}
	noRedirects := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirects.Get(strings.TrimSpace(out))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != 302 || loc.Query().Get("code") == "" || loc.Query().Get("state") != "xyz" {
		t.Fatalf("the linked order-connect URL answered %d to %v", resp.StatusCode, loc)
	}
	c := &tradejini.Client{BaseURL: s.base, ClientID: "SIMKEY", ClientSecret: "SIMSECRET", RedirectURI: "http://127.0.0.1:8080/callback"}
	if _, err := c.ExchangeCode(context.Background(), loc.Query().Get("code")); err != nil {
		t.Fatalf("exchange: %v", err)
	}
	resp, err = http.Get(strings.TrimSuffix(s.base, "/v2") + "/api-gw/oauth/authorize")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("the endpoints answer outside /v2: %d", resp.StatusCode)
	}
	s.stop(t)
	if !strings.Contains(s.stderr.String(), "simulator stopped") {
		t.Errorf("no shutdown line in the log:\n%s", s.stderr)
	}
}

func TestSimCommandUsage(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sim", "--sim-auto", "maybe"}, exitUsage, "off, approve or cancel"},
		{[]string{"sim", "--sim-fail-rate", "3"}, exitUsage, "between 0 and 1"},
		{[]string{"sim", "--sim-totp-secret", "0000"}, exitUsage, "base32"},
		{[]string{"sim", "extra"}, exitUsage, `unexpected argument "extra"`},
		{[]string{"sim", "--addr", busy.Addr().String()}, exitUsage, "address already in use"},
		{[]string{"sim", "-h"}, exitOK, "-sim-client-id"},
	}
	for _, tt := range tests {
		code, _, errOut := runCommand(tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, code, errOut, tt.code, tt.want)
		}
	}
}

func TestTokenCommand(t *testing.T) {
	s := startSimCommand(t)
	totp, err := tradejini.TOTP("JBSWY3DPEHPK3PXP", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	good := []string{"token", "--base-url", s.base, "--api-key", "SIMKEY", "--password", "sim-password"}

	for name, extra := range map[string][]string{
		"totp secret": {"--totp-secret", "JBSWY3DPEHPK3PXP"},
		"otp code":    {"--otp", totp},
	} {
		code, out, errOut := runCommand(append(good, extra...)...)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, errOut)
		}
		var tok map[string]any
		if err := json.Unmarshal([]byte(out), &tok); err != nil {
			t.Fatalf("%s: stdout %q is not JSON: %v", name, out, err)
		}
		if tok["token_type"] != "bearer" || tok["expires_in"] != float64(86400) || tok["scope"] != "general" || tok["access_token"] == "" {
			t.Errorf("%s: token %v", name, tok)
		}
	}

	code, out, errOut := runCommand("token", "--base-url", s.base, "--api-key", "SIMKEY", "--password", "wrong", "--totp-secret", "JBSWY3DPEHPK3PXP")
	if code != exitInvalid || out != "" || !strings.Contains(errOut, "401") || !strings.Contains(errOut, ": Unauthorized") {
		t.Errorf("wrong password: exit %d, stdout %q, stderr %q; want exit 1 with the broker's 401 message", code, out, errOut)
	}
	if strings.Contains(errOut, "wrong") {
		t.Errorf("the error repeats the password: %q", errOut)
	}
	if n := strings.Count(s.stderr.String(), "wrong password or 2FA"); n != 1 {
		t.Errorf("the simulator saw %d refused logins, want exactly 1: a 401 is never retried", n)
	}

	usage := []struct {
		name string
		args []string
		want string
	}{
		{"no base URL", []string{"token", "--api-key", "K", "--password", "P", "--otp", "1"}, "--base-url is required"},
		{"no key", []string{"token", "--base-url", s.base, "--password", "P", "--otp", "1"}, "--api-key is required"},
		{"no password", []string{"token", "--base-url", s.base, "--api-key", "K", "--otp", "1"}, "--password is required"},
		{"no 2FA", []string{"token", "--base-url", s.base, "--api-key", "K", "--password", "P"}, "exactly one of --totp-secret and --otp"},
		{"both 2FA", append(good, "--otp", "1", "--totp-secret", "JBSWY3DPEHPK3PXP"), "exactly one of --totp-secret and --otp"},
		{"bad secret", append(good, "--totp-secret", "not base32!"), "base32"},
		{"extra argument", append(good, "--otp", "1", "more"), `unexpected argument "more"`},
		{"unknown flag", append(good, "--otp", "1", "--retry"), "flag provided but not defined"},
		{"nobody listening", []string{"token", "--base-url", "http://127.0.0.1:1/v2", "--api-key", "K", "--password", "P", "--otp", "1"}, "connect"},
	}
	for _, tt := range usage {
		code, out, errOut := runCommand(tt.args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.name, code, out, errOut, tt.want)
		}
	}
}

func TestTokenCommandBrokerTrouble(t *testing.T) {
	failing := startSimCommand(t, "--sim-fail-status", "500")
	code, _, errOut := runCommand("token", "--base-url", failing.base, "--api-key", "SIMKEY", "--password", "sim-password", "--totp-secret", "JBSWY3DPEHPK3PXP")
	if code != exitInvalid || !strings.Contains(errOut, "500") || !strings.Contains(errOut, "Internal Error occurred. Kindly try again.") {
		t.Errorf("500: exit %d, stderr %q; want exit 1 with the broker's message", code, errOut)
	}
	slow := startSimCommand(t, "--sim-latency", "3s")
	code, _, errOut = runCommand("token", "--timeout", "200ms", "--base-url", slow.base, "--api-key", "SIMKEY", "--password", "sim-password", "--totp-secret", "JBSWY3DPEHPK3PXP")
	if code != exitUsage || !strings.Contains(errOut, "timed out") {
		t.Errorf("timeout: exit %d, stderr %q; want exit 2 naming the timeout", code, errOut)
	}
}
