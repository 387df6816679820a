package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

// links asks the running app for the documented basket's order-connect URL.
func (s *testServer) links(t *testing.T) *url.URL {
	t.Helper()
	doc, err := os.ReadFile("../../basket/testdata/documented.json")
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, s.URL+"/api/v1/links?as_of=2022-11-20", strings.NewReader(`{"legs":`+string(doc)+`}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer admin-token-value-0123456789abcdef") // ignored when no admin token is set
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got struct {
		OrderConnectURL string `json:"order_connect_url"`
	}
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil || res.StatusCode != 200 {
		t.Fatalf("links: status %d, %v", res.StatusCode, err)
	}
	u, err := url.Parse(got.OrderConnectURL)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestServeSimulator: with no client configured, links go to the simulator
// mounted under /sim/v2, whose redirect URI is serve's own /callback.
func TestServeSimulator(t *testing.T) {
	s := startServe(t, nil, "--sim-auto", "approve", "--sim-as-of", "2022-11-20")
	res, err := http.Get(s.URL + "/livez")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("/livez: %d", res.StatusCode)
	}
	u := s.links(t)
	if got := u.Scheme + "://" + u.Host + u.Path; got != s.URL+"/sim/v2/api-gw/oauth/order-connect" {
		t.Errorf("link goes to %s, want the mounted simulator", got)
	}
	if u.Query().Get("client_id") != "SIMKEY" || u.Query().Get("redirect_uri") != s.URL+"/callback" {
		t.Errorf("link query %s: want SIMKEY and %s/callback", u.RawQuery, s.URL)
	}
	// The simulator answers it: approve redirects to serve's callback with a code.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err = client.Get(u.String())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || loc == nil || !strings.HasPrefix(loc.String(), s.URL+"/callback?") || loc.Query().Get("code") == "" {
		t.Errorf("simulator answered %d Location %q, want 302 to the callback with a code", res.StatusCode, res.Header.Get("Location"))
	}
	if !strings.Contains(s.Logs.String(), "path=/livez status=200") {
		t.Errorf("no request log line for /livez:\n%s", s.Logs)
	}
}

// TestServeConfig: a flag beats its environment variable, the environment
// fills the rest, and no secret is ever printed.
func TestServeConfig(t *testing.T) {
	env := map[string]string{
		"TRADEJINI_CLIENT_ID":     "ENVKEY",
		"TRADEJINI_CLIENT_SECRET": "client-secret-value",
		"TRADEJINI_BASE_URL":      "https://broker.example/v9/",
		"BASKETLINK_PUBLIC_URL":   "https://links.example",
		"BASKETLINK_SECRET_KEY":   "secret-key-value-0123456789abcdef",
		"BASKETLINK_ADMIN_TOKEN":  "admin-token-value-0123456789abcdef",
	}
	s := startServe(t, env, "--client-id", "FLAGKEY")
	u := s.links(t)
	if got := u.Scheme + "://" + u.Host + u.Path; got != "https://broker.example/v9/api-gw/oauth/order-connect" {
		t.Errorf("link goes to %s, want TRADEJINI_BASE_URL's", got)
	}
	if u.Query().Get("client_id") != "FLAGKEY" || u.Query().Get("redirect_uri") != "https://links.example/callback" {
		t.Errorf("link query %s: want the flag's client and the public URL's callback", u.RawQuery)
	}
	res, err := http.Get(s.URL + "/sim/v2/api-gw/oauth/authorize")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("the simulator is mounted (%d) though a real client is configured", res.StatusCode)
	}
	if code := s.Stop(); code != exitOK {
		t.Fatalf("serve exited %d", code)
	}
	for _, secret := range []string{"client-secret-value", "secret-key-value-0123456789abcdef", "admin-token-value-0123456789abcdef"} {
		if strings.Contains(s.Out.String()+s.Logs.String(), secret) {
			t.Errorf("serve printed a secret %q", secret)
		}
	}
}

// TestServeUsage: bad settings exit 2 with a reason; -h prints no secret.
func TestServeUsage(t *testing.T) {
	env := func(k string) string {
		if k == "TRADEJINI_CLIENT_SECRET" {
			return "hidden-secret"
		}
		return ""
	}
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve", "--addr", "127.0.0.1:0", "--max-legs", "0"}, exitUsage, "--max-legs"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--client-id", "K", "--base-url", "ftp://x"}, exitUsage, "base URL"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--public-url", "links.example"}, exitUsage, "--public-url"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--sim-password", ""}, exitUsage, "password"},
		{[]string{"serve", "--addr", "256.0.0.1:99999"}, exitUsage, "listen"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "extra"}, exitUsage, "unexpected argument"},
		{[]string{"serve", "-h"}, exitOK, "-client-secret"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb lockedBuffer
			code := run(context.Background(), tt.args, strings.NewReader(""), &out, &errb, env)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, errb.String())
			}
			if !strings.Contains(errb.String(), tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, errb.String())
			}
			if strings.Contains(out.String()+errb.String(), "hidden-secret") {
				t.Error("a secret was printed")
			}
		})
	}
}
