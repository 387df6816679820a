package sim_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"basketlink/basket"
	"basketlink/sim"
)

const (
	msgInvalid      = `{"s":"error","msg":"Input validation failed. Kindly check your input contains required fields for the request"}`
	msgUnauthorized = `{"s":"error","msg":"Unauthorized"}`
)

// flowURL builds an authorize (params == nil) or order-connect URL on srv,
// then applies edit to its query.
func flowURL(srv *server, params *string, state string, edit func(url.Values)) string {
	l := basket.Link{BaseURL: srv.Base, ClientID: srv.Cfg.ClientID, RedirectURI: srv.Cfg.RedirectURI, State: state}
	var raw string
	if params == nil {
		raw = basket.LoginURL(l)
	} else {
		raw, _ = basket.OrderConnectURL(l, *params)
	}
	if edit == nil {
		return raw
	}
	u, _ := url.Parse(raw)
	q := u.Query()
	edit(q)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestOrderConnectAndAuthorize(t *testing.T) {
	params := documented(t)
	expired := strings.ReplaceAll(params, "2022-11-24", "2022-11-18")
	unknownKey := strings.Replace(params, `"validity":"day"}`, `"validity":"day","color":"red"}`, 1)
	state := "st/1 &x=y?é"
	tests := []struct {
		name     string
		auto     string
		params   *string
		edit     func(url.Values)
		method   string
		status   int
		body     string // exact JSON body for errors
		location string // prefix of Location for 302
		query    url.Values
	}{
		{name: "documented basket, approve", auto: sim.AutoApprove, params: &params, status: 302,
			location: sim.DefaultRedirectURI + "?code=", query: url.Values{"state": {state}}},
		{name: "login only, approve", auto: sim.AutoApprove, status: 302,
			location: sim.DefaultRedirectURI + "?code=", query: url.Values{"state": {state}}},
		{name: "documented basket, cancel", auto: sim.AutoCancel, params: &params, status: 302,
			location: sim.DefaultRedirectURI + "?error=access_denied", query: url.Values{"error": {"access_denied"}, "state": {state}}},
		{name: "login only, cancel", auto: sim.AutoCancel, status: 302,
			location: sim.DefaultRedirectURI + "?error=access_denied", query: url.Values{"state": {state}}},
		{name: "documented basket, off: to the login page", auto: sim.AutoOff, params: &params, status: 302, location: "login?req="},
		{name: "login only, off: to the login page", auto: sim.AutoOff, status: 302, location: "login?req="},
		{name: "expired contract", auto: sim.AutoApprove, params: &expired, status: 400, body: msgInvalid},
		{name: "key not in the shape", auto: sim.AutoApprove, params: &unknownKey, status: 400, body: msgInvalid},
		{name: "params not JSON", auto: sim.AutoApprove, params: new("[{"), status: 400, body: msgInvalid},
		{name: "params missing", auto: sim.AutoApprove, params: &params, edit: func(q url.Values) { q.Del("params") }, status: 400, body: msgInvalid},
		{name: "state missing", auto: sim.AutoApprove, params: &params, edit: func(q url.Values) { q.Del("state") }, status: 400, body: msgInvalid},
		{name: "response_type not code", auto: sim.AutoApprove, edit: func(q url.Values) { q.Set("response_type", "token") }, status: 400, body: msgInvalid},
		{name: "scope not general", auto: sim.AutoApprove, params: &params, edit: func(q url.Values) { q.Set("scope", "all") }, status: 400, body: msgInvalid},
		{name: "wrong client_id", auto: sim.AutoApprove, params: &params, edit: func(q url.Values) { q.Set("client_id", "OTHER") }, status: 401, body: msgUnauthorized},
		{name: "wrong client_id, login only", auto: sim.AutoApprove, edit: func(q url.Values) { q.Set("client_id", "OTHER") }, status: 401, body: msgUnauthorized},
		{name: "unregistered redirect_uri", auto: sim.AutoApprove, params: &params, edit: func(q url.Values) { q.Set("redirect_uri", "http://evil.example/callback") }, status: 401, body: msgUnauthorized},
		{name: "redirect_uri differs by a slash", auto: sim.AutoOff, edit: func(q url.Values) { q.Set("redirect_uri", sim.DefaultRedirectURI+"/") }, status: 401, body: msgUnauthorized},
		{name: "POST is not allowed", auto: sim.AutoApprove, params: &params, method: http.MethodPost, status: 405},
	}
	servers := map[string]*server{}
	for _, mode := range []string{sim.AutoOff, sim.AutoApprove, sim.AutoCancel} {
		servers[mode] = start(t, func(c *sim.Config) { c.Auto = mode })
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := servers[tt.auto]
			req, err := http.NewRequest(cmpOr(tt.method, http.MethodGet), flowURL(srv, tt.params, state, tt.edit), nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := noRedirects.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body := readBody(t, resp)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tt.status, body)
			}
			if tt.body != "" {
				if got := strings.TrimSpace(body); got != tt.body {
					t.Errorf("body %s, want %s", got, tt.body)
				}
				if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q, want application/json", ct)
				}
			}
			if tt.status == 405 && !strings.Contains(body, `"s":"error"`) {
				t.Errorf("405 body %s is not the broker's error shape", body)
			}
			if tt.location == "" {
				return
			}
			loc := resp.Header.Get("Location")
			if !strings.HasPrefix(loc, tt.location) {
				t.Fatalf("Location %q, want it to start with %q", loc, tt.location)
			}
			u, err := url.Parse(loc)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.query {
				if got := u.Query()[k]; len(got) != 1 || got[0] != v[0] {
					t.Errorf("redirect %s = %q, want %q", k, got, v)
				}
			}
			if strings.Contains(tt.location, "code=") && len(u.Query().Get("code")) < 20 {
				t.Errorf("code %q is too short to be unguessable", u.Query().Get("code"))
			}
		})
	}
}

// The registered redirect URI may carry a query of its own; code and state are added to it.
func TestRedirectKeepsRegisteredQuery(t *testing.T) {
	srv := start(t, func(c *sim.Config) {
		c.Auto = sim.AutoApprove
		c.RedirectURI = "http://127.0.0.1:8080/callback?app=1"
	})
	resp, err := noRedirects.Get(flowURL(srv, nil, "s1", nil))
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp)
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "http://127.0.0.1:8080/callback?app=1&code=") || !strings.HasSuffix(loc, "&state=s1") {
		t.Fatalf("Location %q", loc)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
