package sim_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"basketlink/sim"
)

func totpAt(t testing.TB, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestIndividualTokenEndpoint(t *testing.T) {
	now := time.Date(2022, 11, 21, 9, 15, 10, 0, time.UTC)
	srv := start(t, func(c *sim.Config) { c.Now = func() time.Time { return now } })
	code := func(offset time.Duration) string { return totpAt(t, srv.Cfg.TOTPSecret, now.Add(offset)) }
	tests := []struct {
		name   string
		auth   string
		form   url.Values
		status int
		body   string
	}{
		{name: "current window", auth: "Bearer SIMKEY", form: url.Values{"password": {"sim-password"}, "twoFa": {code(0)}, "twoFaTyp": {"totp"}}, status: 200},
		{name: "previous window", auth: "Bearer SIMKEY", form: url.Values{"password": {"sim-password"}, "twoFa": {code(-30 * time.Second)}, "twoFaTyp": {"totp"}}, status: 200},
		{name: "next window", auth: "Bearer SIMKEY", form: url.Values{"password": {"sim-password"}, "twoFa": {code(30 * time.Second)}, "twoFaTyp": {"totp"}}, status: 200},
		{name: "otp type takes the same code", auth: "Bearer SIMKEY", form: url.Values{"password": {"sim-password"}, "twoFa": {code(0)}, "twoFaTyp": {"otp"}}, status: 200},
		{name: "two windows ago", auth: "Bearer SIMKEY", form: url.Values{"password": {"sim-password"}, "twoFa": {code(-60 * time.Second)}, "twoFaTyp": {"totp"}}, status: 401, body: msgUnauthorized},
		{name: "wrong password", auth: "Bearer SIMKEY", form: url.Values{"password": {"nope"}, "twoFa": {code(0)}, "twoFaTyp": {"totp"}}, status: 401, body: msgUnauthorized},
		{name: "scheme in lower case", auth: "bearer SIMKEY", form: url.Values{"password": {"sim-password"}, "twoFa": {code(0)}, "twoFaTyp": {"totp"}}, status: 200},
		{name: "key in lower case", auth: "Bearer simkey", form: url.Values{"password": {"sim-password"}, "twoFa": {code(0)}, "twoFaTyp": {"totp"}}, status: 401, body: msgUnauthorized},
		{name: "wrong key", auth: "Bearer OTHER", form: url.Values{"password": {"sim-password"}, "twoFa": {code(0)}, "twoFaTyp": {"totp"}}, status: 401, body: msgUnauthorized},
		{name: "no Authorization", form: url.Values{"password": {"sim-password"}, "twoFa": {code(0)}, "twoFaTyp": {"totp"}}, status: 401, body: msgUnauthorized},
		{name: "password missing", auth: "Bearer SIMKEY", form: url.Values{"twoFa": {code(0)}, "twoFaTyp": {"totp"}}, status: 400, body: msgInvalid},
		{name: "twoFa missing", auth: "Bearer SIMKEY", form: url.Values{"password": {"sim-password"}, "twoFaTyp": {"totp"}}, status: 400, body: msgInvalid},
		{name: "twoFaTyp missing", auth: "Bearer SIMKEY", form: url.Values{"password": {"sim-password"}, "twoFa": {code(0)}}, status: 400, body: msgInvalid},
		{name: "twoFaTyp unknown", auth: "Bearer SIMKEY", form: url.Values{"password": {"sim-password"}, "twoFa": {code(0)}, "twoFaTyp": {"dob"}}, status: 400, body: msgInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, srv.Base+"/api-gw/oauth/individual-token-v2", strings.NewReader(tt.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body := strings.TrimSpace(readBody(t, resp))
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.body != "" && body != tt.body {
				t.Errorf("body %s, want %s", body, tt.body)
			}
			if status := resp.StatusCode; status == 200 && !strings.Contains(body, `"token_type":"bearer","expires_in":86400,"scope":"general"`) {
				t.Errorf("200 body %s is not the documented token", body)
			}
		})
	}
}

func TestFaults(t *testing.T) {
	for _, status := range []int{429, 500} {
		srv := start(t, func(c *sim.Config) { c.Auto = sim.AutoApprove; c.FailStatus = status; c.FailRate = 1 })
		code := approveCode(t, srv) // order-connect is never faulted
		if got, body := postToken(t, srv, tokenForm(srv, code)); got != status || !strings.HasPrefix(body, `{"s":"error","msg":"`) {
			t.Errorf("fail status %d: /token answered %d %s", status, got, body)
		}
		resp, err := http.PostForm(srv.Base+"/api-gw/oauth/individual-token-v2", url.Values{"password": {"x"}})
		if err != nil {
			t.Fatal(err)
		}
		if body := readBody(t, resp); resp.StatusCode != status {
			t.Errorf("fail status %d: /individual-token-v2 answered %d %s", status, resp.StatusCode, body)
		}
	}

	srv := start(t, func(c *sim.Config) { c.Auto = sim.AutoApprove; c.FailStatus = 500; c.FailRate = 0.5 })
	failed := 0
	for range 100 {
		if status, _ := postToken(t, srv, tokenForm(srv, strings.Repeat("A", 26))); status == 500 {
			failed++
		}
	}
	// Binomial(100, 0.5): outside 15..85 has a probability below 1e-12.
	if failed < 15 || failed > 85 {
		t.Errorf("rate 0.5 failed %d of 100 calls", failed)
	}
}

func TestConfigCheck(t *testing.T) {
	tests := []struct {
		name string
		edit func(*sim.Config)
		want string
	}{
		{"auto mode", func(c *sim.Config) { c.Auto = "maybe" }, `auto mode "maybe"`},
		{"fail status", func(c *sim.Config) { c.FailStatus = 200 }, "fail status 200"},
		{"fail rate", func(c *sim.Config) { c.FailRate = 1.5 }, "fail rate 1.5"},
		{"TOTP secret", func(c *sim.Config) { c.TOTPSecret = "not base32!" }, "base32"},
		{"latency", func(c *sim.Config) { c.Latency = -time.Second }, "negative"},
		{"client id", func(c *sim.Config) { c.ClientID = "" }, "client id"},
	}
	for _, tt := range tests {
		cfg := sim.DefaultConfig()
		tt.edit(&cfg)
		_, err := sim.New(cfg, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: New error %v, want one naming %q", tt.name, err, tt.want)
		}
	}
}
