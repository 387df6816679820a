package sim_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"basketlink/sim"
)

// approveCode gets a fresh code from an approve-mode simulator.
func approveCode(t testing.TB, srv *server) string {
	t.Helper()
	params := documented(t)
	resp, err := noRedirects.Get(flowURL(srv, &params, "s", nil))
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp)
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || u.Query().Get("code") == "" {
		t.Fatalf("no code in Location %q (status %d)", resp.Header.Get("Location"), resp.StatusCode)
	}
	return u.Query().Get("code")
}

func tokenForm(srv *server, code string) url.Values {
	return url.Values{
		"code": {code}, "client_id": {srv.Cfg.ClientID}, "redirect_uri": {srv.Cfg.RedirectURI},
		"client_secret": {srv.Cfg.ClientSecret}, "grant_type": {"authorization_code"},
	}
}

func postToken(t testing.TB, srv *server, form url.Values) (int, string) {
	t.Helper()
	resp, err := http.PostForm(srv.Base+"/api-gw/oauth/token", form)
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	return resp.StatusCode, strings.TrimSpace(readBody(t, resp))
}

func TestTokenEndpoint(t *testing.T) {
	srv := start(t, func(c *sim.Config) { c.Auto = sim.AutoApprove })
	tests := []struct {
		name   string
		edit   func(url.Values)
		status int
		body   string
	}{
		{name: "good code", status: 200},
		{name: "code missing", edit: func(f url.Values) { f.Del("code") }, status: 400, body: msgInvalid},
		{name: "client_id missing", edit: func(f url.Values) { f.Del("client_id") }, status: 400, body: msgInvalid},
		{name: "redirect_uri missing", edit: func(f url.Values) { f.Del("redirect_uri") }, status: 400, body: msgInvalid},
		{name: "client_secret missing", edit: func(f url.Values) { f.Del("client_secret") }, status: 400, body: msgInvalid},
		{name: "grant_type missing", edit: func(f url.Values) { f.Del("grant_type") }, status: 400, body: msgInvalid},
		{name: "grant_type wrong", edit: func(f url.Values) { f.Set("grant_type", "password") }, status: 400, body: msgInvalid},
		{name: "malformed code", edit: func(f url.Values) { f.Set("code", "not a code") }, status: 400, body: msgInvalid},
		{name: "unregistered redirect_uri", edit: func(f url.Values) { f.Set("redirect_uri", "http://evil.example/cb") }, status: 400, body: msgInvalid},
		{name: "wrong client_id", edit: func(f url.Values) { f.Set("client_id", "OTHER") }, status: 401, body: msgUnauthorized},
		{name: "wrong client_secret", edit: func(f url.Values) { f.Set("client_secret", "guess") }, status: 401, body: msgUnauthorized},
		{name: "well-formed unknown code", edit: func(f url.Values) { f.Set("code", strings.Repeat("A", 26)) }, status: 401, body: msgUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := approveCode(t, srv)
			form := tokenForm(srv, code)
			if tt.edit != nil {
				tt.edit(form)
			}
			status, body := postToken(t, srv, form)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if tt.body != "" && body != tt.body {
				t.Errorf("body %s, want %s", body, tt.body)
			}
			if status == 200 {
				var tok map[string]any
				if err := json.Unmarshal([]byte(body), &tok); err != nil {
					t.Fatal(err)
				}
				if tok["token_type"] != "bearer" || tok["expires_in"] != float64(86400) || tok["scope"] != "general" || tok["access_token"] == "" {
					t.Errorf("token %v is not the documented shape", tok)
				}
				srv.assertNotLogged(t, code, tok["access_token"].(string))
				return
			}
			// A refused exchange must not burn a good code.
			if status, body := postToken(t, srv, tokenForm(srv, code)); status != 200 {
				t.Errorf("after a refused exchange the code no longer works: %d %s", status, body)
			}
		})
	}
}

func TestTokenNeedsAFormPOST(t *testing.T) {
	srv := start(t, func(c *sim.Config) { c.Auto = sim.AutoApprove })
	form := tokenForm(srv, approveCode(t, srv))
	resp, err := http.Post(srv.Base+"/api-gw/oauth/token", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if body := strings.TrimSpace(readBody(t, resp)); resp.StatusCode != 400 || body != msgInvalid {
		t.Errorf("JSON body: %d %s, want 400 %s", resp.StatusCode, body, msgInvalid)
	}
	resp, err = http.Get(srv.Base + "/api-gw/oauth/token?" + form.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if body := readBody(t, resp); resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET: %d %s (Allow %q), want 405", resp.StatusCode, body, resp.Header.Get("Allow"))
	}
	if status, body := postToken(t, srv, form); status != 200 {
		t.Errorf("the code was used up by refused requests: %d %s", status, body)
	}
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestCodesLiveFiveMinutes(t *testing.T) {
	clock := &fakeClock{now: time.Date(2022, 11, 21, 9, 15, 0, 0, time.UTC)}
	srv := start(t, func(c *sim.Config) { c.Auto = sim.AutoApprove; c.Now = clock.Now })
	young, old := approveCode(t, srv), approveCode(t, srv)
	clock.Add(5*time.Minute - time.Second)
	if status, body := postToken(t, srv, tokenForm(srv, young)); status != 200 {
		t.Fatalf("a code 4m59s old: %d %s, want 200", status, body)
	}
	clock.Add(time.Second)
	if status, body := postToken(t, srv, tokenForm(srv, old)); status != 401 || body != msgUnauthorized {
		t.Fatalf("a code 5m old: %d %s, want 401 %s", status, body, msgUnauthorized)
	}
}

func TestCodesUnderConcurrency(t *testing.T) {
	srv := start(t, func(c *sim.Config) { c.Auto = sim.AutoApprove })

	t.Run("200 goroutines, 200 distinct codes: each works exactly once", func(t *testing.T) {
		codes := make([]string, 200)
		for i := range codes {
			codes[i] = approveCode(t, srv)
		}
		var ok, refused atomic.Int32
		var wg sync.WaitGroup
		for _, code := range codes {
			wg.Go(func() {
				if status, _ := postToken(t, srv, tokenForm(srv, code)); status == 200 {
					ok.Add(1)
				}
				if status, _ := postToken(t, srv, tokenForm(srv, code)); status == 401 {
					refused.Add(1)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 200 || refused.Load() != 200 {
			t.Fatalf("%d first exchanges succeeded and %d second ones were refused, want 200 and 200", ok.Load(), refused.Load())
		}
	})

	t.Run("20 goroutines, one code: exactly one succeeds", func(t *testing.T) {
		code := approveCode(t, srv)
		var ok, refused atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 20 {
			wg.Go(func() {
				<-start
				switch status, _ := postToken(t, srv, tokenForm(srv, code)); status {
				case 200:
					ok.Add(1)
				case 401:
					refused.Add(1)
				}
			})
		}
		close(start)
		wg.Wait()
		if ok.Load() != 1 || refused.Load() != 19 {
			t.Fatalf("%d succeeded and %d were refused, want 1 and 19", ok.Load(), refused.Load())
		}
	})
}
