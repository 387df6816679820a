package tradejini_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"basketlink/sim"
	"basketlink/tradejini"
)

var asOf = time.Date(2022, 11, 21, 0, 0, 0, 0, time.UTC)

const (
	msgInvalid = "Input validation failed. Kindly check your input contains required fields for the request"
	msgUnauth  = "Unauthorized"
)

// startSim runs a simulator on a real port under /v2 and returns a client registered with it.
func startSim(t testing.TB, edit func(*sim.Config)) *tradejini.Client {
	t.Helper()
	cfg := sim.DefaultConfig()
	cfg.AsOf = asOf
	cfg.Auto = sim.AutoApprove
	if edit != nil {
		edit(&cfg)
	}
	s, err := sim.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/v2/", http.StripPrefix("/v2", s))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &tradejini.Client{
		BaseURL: srv.URL + "/v2", ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
		RedirectURI: cfg.RedirectURI, Timeout: 5 * time.Second,
	}
}

var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func documentedParams(t testing.TB) string {
	b, err := os.ReadFile("../basket/testdata/documented.json")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// code walks the approve-mode order-connect URL built by the client and returns the code.
func code(t testing.TB, c *tradejini.Client) string {
	t.Helper()
	u, err := c.OrderConnectURL("st", documentedParams(t))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := noRedirects.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil || resp.StatusCode != http.StatusFound || loc.Query().Get("code") == "" {
		t.Fatalf("order-connect answered %d, Location %v", resp.StatusCode, loc)
	}
	return loc.Query().Get("code")
}

func wantError(t *testing.T, err error, status int, msg string) {
	t.Helper()
	var te *tradejini.Error
	if !errors.As(err, &te) {
		t.Fatalf("error %v (%T), want *tradejini.Error", err, err)
	}
	if te.Status != status || te.Msg != msg {
		t.Fatalf("error status %d msg %q, want %d %q", te.Status, te.Msg, status, msg)
	}
	if errors.Is(err, tradejini.ErrTimeout) {
		t.Errorf("a refusal %v counts as a timeout", err)
	}
}

// The two browser endpoints answer the URLs the client builds: 302, and 400 or 401 when wrong.
func TestURLs(t *testing.T) {
	c := startSim(t, nil)
	oc, err := c.OrderConnectURL("state 1", documentedParams(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, u := range map[string]string{"order-connect": oc, "authorize": c.LoginURL("state 1")} {
		resp, err := noRedirects.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, _ := resp.Location()
		if resp.StatusCode != 302 || !strings.HasPrefix(loc.String(), c.RedirectURI+"?code=") || loc.Query().Get("state") != "state 1" {
			t.Errorf("%s: %d to %v", name, resp.StatusCode, loc)
		}
	}
	// The 400 and 401 of the same endpoints, with the broker's bodies.
	wrongClient := *c
	wrongClient.ClientID = "OTHER"
	wrongRedirect := *c
	wrongRedirect.RedirectURI = c.RedirectURI + "/"
	invalid, err := c.OrderConnectURL("s", `[{"exch":"NSE"}]`)
	if err != nil {
		t.Fatal(err)
	}
	wrongClientOC, _ := wrongClient.OrderConnectURL("s", documentedParams(t))
	for name, tt := range map[string]struct {
		url    string
		status int
		body   string
	}{
		"order-connect, invalid params":    {invalid, 400, `{"s":"error","msg":"` + msgInvalid + `"}`},
		"order-connect, wrong client":      {wrongClientOC, 401, `{"s":"error","msg":"Unauthorized"}`},
		"authorize, wrong client":          {wrongClient.LoginURL("s"), 401, `{"s":"error","msg":"Unauthorized"}`},
		"authorize, unregistered redirect": {wrongRedirect.LoginURL("s"), 401, `{"s":"error","msg":"Unauthorized"}`},
	} {
		resp, err := noRedirects.Get(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || strings.TrimSpace(string(body)) != tt.body || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: %d %s (%s), want %d %s", name, resp.StatusCode, body, resp.Header.Get("Content-Type"), tt.status, tt.body)
		}
	}
	if _, err := c.OrderConnectURL("s", "["+strings.Repeat(`"x",`, 3000)+`"x"]`); err == nil {
		t.Error("an order-connect URL over 8,000 bytes was built")
	}
}

func TestExchangeCode(t *testing.T) {
	tests := []struct {
		name   string
		sim    func(*sim.Config)
		client func(*tradejini.Client)
		code   func(good string) string
		status int // 200 means success
		msg    string
	}{
		{name: "200", status: 200},
		{name: "400 missing code", code: func(string) string { return "" }, status: 400, msg: msgInvalid},
		{name: "400 unregistered redirect_uri", client: func(c *tradejini.Client) { c.RedirectURI = "http://evil.example/cb" }, status: 400, msg: msgInvalid},
		{name: "401 unknown code", code: func(string) string { return strings.Repeat("B", 26) }, status: 401, msg: msgUnauth},
		{name: "401 wrong secret", client: func(c *tradejini.Client) { c.ClientSecret = "guess" }, status: 401, msg: msgUnauth},
		{name: "429", sim: func(c *sim.Config) { c.FailStatus = 429; c.FailRate = 1 }, status: 429, msg: "Too many requests. Kindly try after some time."},
		{name: "500", sim: func(c *sim.Config) { c.FailStatus = 500; c.FailRate = 1 }, status: 500, msg: "Internal Error occurred. Kindly try again."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := startSim(t, tt.sim)
			good := code(t, c)
			use := good
			if tt.code != nil {
				use = tt.code(good)
			}
			if tt.client != nil {
				tt.client(c)
			}
			tok, err := c.ExchangeCode(context.Background(), use)
			if tt.status == 200 {
				if err != nil {
					t.Fatal(err)
				}
				if tok.AccessToken == "" || tok.TokenType != "bearer" || tok.ExpiresIn != 86400 || tok.Scope != "general" {
					t.Fatalf("token %+v", tok)
				}
				_, err := c.ExchangeCode(context.Background(), use)
				wantError(t, err, 401, msgUnauth)
				return
			}
			wantError(t, err, tt.status, tt.msg)
			for _, secret := range []string{good, c.ClientSecret, "SIMSECRET"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q holds a secret", err)
				}
			}
		})
	}
}

func TestIndividualToken(t *testing.T) {
	now := time.Now()
	otp, err := tradejini.TOTP(sim.DefaultTOTPSecret, now)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                           string
		sim                            func(*sim.Config)
		key, password, twoFa, twoFaTyp string
		status                         int
		msg                            string
	}{
		{name: "200", key: "SIMKEY", password: "sim-password", twoFa: otp, twoFaTyp: "totp", status: 200},
		{name: "400 missing password", key: "SIMKEY", twoFa: otp, twoFaTyp: "totp", status: 400, msg: msgInvalid},
		{name: "401 wrong password", key: "SIMKEY", password: "guess", twoFa: otp, twoFaTyp: "totp", status: 401, msg: msgUnauth},
		{name: "401 wrong key", key: "OTHER", password: "sim-password", twoFa: otp, twoFaTyp: "totp", status: 401, msg: msgUnauth},
		{name: "429", sim: func(c *sim.Config) { c.FailStatus = 429; c.FailRate = 1 }, key: "SIMKEY", password: "sim-password", twoFa: otp, twoFaTyp: "totp", status: 429, msg: "Too many requests. Kindly try after some time."},
		{name: "500", sim: func(c *sim.Config) { c.FailStatus = 500; c.FailRate = 1 }, key: "SIMKEY", password: "sim-password", twoFa: otp, twoFaTyp: "totp", status: 500, msg: "Internal Error occurred. Kindly try again."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := startSim(t, tt.sim)
			tok, err := c.IndividualToken(context.Background(), tt.key, tt.password, tt.twoFa, tt.twoFaTyp)
			if tt.status == 200 {
				if err != nil {
					t.Fatal(err)
				}
				if tok.AccessToken == "" || tok.TokenType != "bearer" {
					t.Fatalf("token %+v", tok)
				}
				return
			}
			wantError(t, err, tt.status, tt.msg)
			if tt.password != "" && strings.Contains(err.Error(), tt.password) {
				t.Errorf("error %q holds the password", err)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	c := startSim(t, func(cfg *sim.Config) { cfg.Latency = 2 * time.Second })
	good := code(t, c)
	c.Timeout = 100 * time.Millisecond
	_, err := c.ExchangeCode(context.Background(), good)
	if !errors.Is(err, tradejini.ErrTimeout) {
		t.Fatalf("error %v, want ErrTimeout", err)
	}
	var te *tradejini.Error
	if errors.As(err, &te) {
		t.Errorf("a timeout is also a broker refusal: %v", te)
	}
	if strings.Contains(err.Error(), good) {
		t.Errorf("error %q holds the code", err)
	}
	// The caller's own deadline counts as well.
	c.Timeout = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := c.IndividualToken(ctx, "SIMKEY", "sim-password", "123456", "totp"); !errors.Is(err, tradejini.ErrTimeout) {
		t.Fatalf("caller deadline: error %v, want ErrTimeout", err)
	}
	// A cancelled call is not a timeout.
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, err := c.ExchangeCode(ctx, good); err == nil || errors.Is(err, tradejini.ErrTimeout) {
		t.Fatalf("cancelled call: error %v, want an error that is not ErrTimeout", err)
	}
}

// A broker answer that is not 200 and not JSON, or a redirect, is still a typed
// error, and the client never follows a redirect with the form.
func TestOddAnswers(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/v2/api-gw/oauth/token":
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		case "/v2/api-gw/oauth/individual-token-v2":
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, "<html>"+strings.Repeat("x", 1<<20)+"</html>")
		default:
			t.Errorf("followed to %s", r.URL.Path)
		}
	}))
	defer srv.Close()
	c := &tradejini.Client{BaseURL: srv.URL + "/v2/", ClientID: "K", ClientSecret: "S", RedirectURI: "http://x/cb"}
	_, err := c.ExchangeCode(context.Background(), "CODE")
	wantError(t, err, 302, "")
	_, err = c.IndividualToken(context.Background(), "K", "P", "1", "totp")
	wantError(t, err, 502, "")
	if n := hits.Load(); n != 2 {
		t.Errorf("%d requests, want 2: nothing is retried or followed", n)
	}
}

func TestTokenNeverPrinted(t *testing.T) {
	tok := tradejini.Token{AccessToken: "SECRETACCESSTOKEN", TokenType: "bearer", ExpiresIn: 86400, Scope: "general"}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("got", "token", tok)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("got", "token", tok)
	for _, s := range []string{fmt.Sprint(tok), fmt.Sprintf("%v %+v %#v %s", tok, tok, tok, tok), fmt.Sprint(&tok), logs.String()} {
		if strings.Contains(s, "SECRETACCESSTOKEN") {
			t.Errorf("printed token shows the access token: %s", s)
		}
		if !strings.Contains(s, "redacted") {
			t.Errorf("printed token does not say it is redacted: %s", s)
		}
	}
	if !strings.Contains(logs.String(), `"expires_in":86400`) {
		t.Errorf("log lost the token's other fields: %s", logs.String())
	}
}

func TestTOTP(t *testing.T) {
	// RFC 6238's SHA-1 vector, truncated to 6 digits: secret "12345678901234567890".
	got, err := tradejini.TOTP("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", time.Unix(59, 0))
	if err != nil || got != "287082" {
		t.Fatalf("TOTP = %q, %v; want 287082", got, err)
	}
	if _, err := tradejini.TOTP("not base32!", time.Now()); err == nil {
		t.Fatal("a bad secret gave a code")
	}
}
