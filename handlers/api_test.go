package handlers_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"basketlink/basket"
	"basketlink/handlers"
)

// TestAPIValidate covers every status of POST /api/v1/validate: 200, 422, 400, 413.
func TestAPIValidate(t *testing.T) {
	srv := start(t, nil)
	doc := documented(t)
	badLeg := strings.Replace(doc, `"limitPrice":2700.55`, `"limitPrice":0`, 1)
	tests := []struct {
		name      string
		query     string
		body      string
		status    int
		valid     bool
		pointer   string // of the first error
		inMessage string
	}{
		{"documented example", "?as_of=" + asOf, doc, 200, true, "", ""},
		{"limit order at price 0", "?as_of=" + asOf, badLeg, 422, false, "/0/limitPrice", "limit orders need a limitPrice above 0"},
		{"expired without as_of", "", doc, 422, false, "/1/expiry", "contract expired"},
		{"not an array", "?as_of=" + asOf, `{"legs":[]}`, 422, false, "", "JSON array"},
		{"not JSON", "", `[{"exch":`, 400, false, "", "JSON"},
		{"empty body", "", ``, 400, false, "", ""},
		{"malformed as_of", "?as_of=2022-13-01", doc, 400, false, "", "as_of"},
		{"empty as_of", "?as_of=", doc, 400, false, "", "as_of"},
		{"over 64 KiB", "", "[" + strings.Repeat(" ", 64<<10) + "]", 413, false, "", "64 KiB"},
		{"exactly 64 KiB", "?as_of=" + asOf, doc + strings.Repeat(" ", 64<<10-len(doc)), 200, true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, ctype := do(t, "POST", srv.URL+"/api/v1/validate"+tt.query, "application/json", strings.NewReader(tt.body))
			if status != tt.status {
				t.Fatalf("status %d, want %d; body %s", status, tt.status, body)
			}
			if !strings.HasPrefix(ctype, "application/json") {
				t.Errorf("content type %q", ctype)
			}
			var res basket.Result
			if err := json.Unmarshal([]byte(body), &res); err != nil {
				t.Fatalf("body is not a result object: %v: %s", err, body)
			}
			if res.Valid != tt.valid {
				t.Fatalf("valid = %v, want %v: %s", res.Valid, tt.valid, body)
			}
			if tt.valid {
				if res.Params != doc || res.Legs != 3 {
					t.Errorf("params %s legs %d, want the documented string and 3", res.Params, res.Legs)
				}
				return
			}
			if len(res.Errors) == 0 {
				t.Fatalf("invalid with no errors: %s", body)
			}
			if res.Errors[0].Pointer != tt.pointer || !strings.Contains(res.Errors[0].Message, tt.inMessage) {
				t.Errorf("first error %+v, want pointer %q and a message with %q", res.Errors[0], tt.pointer, tt.inMessage)
			}
		})
	}
}

// TestAPILinks covers POST /api/v1/links: the URL built with the configured
// client, a given or random state, 422 for a bad basket or a URL too long,
// 400 for a bad body, 413 over 64 KiB.
func TestAPILinks(t *testing.T) {
	srv := start(t, func(c *handlers.Config) { c.MaxLegs = 200 })
	doc := documented(t)
	var legs []json.RawMessage
	if err := json.Unmarshal([]byte(doc), &legs); err != nil {
		t.Fatal(err)
	}
	long := "[" + strings.TrimSuffix(strings.Repeat(string(legs[2])+",", 60), ",") + "]"
	tests := []struct {
		name      string
		query     string
		body      string
		status    int
		state     string // want this state; "*" any non-empty
		inMessage string
	}{
		{"documented with state", "?as_of=" + asOf, `{"legs":` + doc + `,"state":"s/1 x"}`, 200, "s/1 x", ""},
		{"documented, no state", "?as_of=" + asOf, `{"legs":` + doc + `}`, 200, "*", ""},
		{"documented, empty state", "?as_of=" + asOf, `{"legs":` + doc + `,"state":""}`, 200, "*", ""},
		{"invalid leg", "?as_of=" + asOf, `{"legs":[{"inst":"EQT"}]}`, 422, "", "/0/"},
		{"URL over 8000 bytes", "?as_of=" + asOf, `{"legs":` + long + `}`, 422, "", "8000-byte limit"},
		{"unknown keys", "?as_of=" + asOf, `{"legs":` + doc + `,"label":"x","client_id":"y"}`, 400, "", `"client_id", "label"`},
		{"no legs", "", `{"state":"x"}`, 400, "", `"legs"`},
		{"state not a string", "?as_of=" + asOf, `{"legs":` + doc + `,"state":5}`, 400, "", `"state"`},
		{"an array, not an object", "", doc, 400, "", "JSON object"},
		{"not JSON", "", `{"legs":`, 400, "", "not JSON"},
		{"malformed as_of", "?as_of=tomorrow", `{"legs":` + doc + `}`, 400, "", "as_of"},
		{"over 64 KiB", "", `{"legs":[` + strings.Repeat(" ", 64<<10) + `]}`, 413, "", "64 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := do(t, "POST", srv.URL+"/api/v1/links"+tt.query, "application/json", strings.NewReader(tt.body))
			if status != tt.status {
				t.Fatalf("status %d, want %d; body %.300s", status, tt.status, body)
			}
			if status != 200 {
				var res basket.Result
				if err := json.Unmarshal([]byte(body), &res); err != nil || res.Valid || len(res.Errors) == 0 {
					t.Fatalf("want a result object with errors, got %v: %.300s", err, body)
				}
				all := ""
				for _, e := range res.Errors {
					all += e.Pointer + " " + e.Message + "\n"
				}
				if !strings.Contains(all, tt.inMessage) {
					t.Errorf("errors %q lack %q", all, tt.inMessage)
				}
				return
			}
			var got struct {
				OrderConnectURL string `json:"order_connect_url"`
				Params          string `json:"params"`
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(body, `\u0026`) {
				t.Errorf("the URL's & is escaped in the JSON: %.200s", body)
			}
			if got.Params != doc {
				t.Errorf("params %s, want the documented string", got.Params)
			}
			u, err := url.Parse(got.OrderConnectURL)
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			if u.Host != "api.tradejini.com" || u.Path != "/v2/api-gw/oauth/order-connect" || q.Get("client_id") != "TESTKEY" ||
				q.Get("redirect_uri") != srv.URL+"/callback" || q.Get("params") != doc {
				t.Errorf("order-connect URL %s does not carry the configured client and the params", got.OrderConnectURL)
			}
			if tt.state == "*" && len(q.Get("state")) < 16 || tt.state != "*" && q.Get("state") != tt.state {
				t.Errorf("state %q, want %q (* = random)", q.Get("state"), tt.state)
			}
		})
	}
}

// TestRandomStatesDiffer checks two links built without a state do not share one.
func TestRandomStatesDiffer(t *testing.T) {
	srv := start(t, nil)
	seen := map[string]bool{}
	for range 3 {
		_, body, _ := do(t, "POST", srv.URL+"/api/v1/links?as_of="+asOf, "application/json", strings.NewReader(`{"legs":`+documented(t)+`}`))
		var got struct {
			OrderConnectURL string `json:"order_connect_url"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(got.OrderConnectURL)
		state := u.Query().Get("state")
		if seen[state] {
			t.Fatalf("state %q handed out twice", state)
		}
		seen[state] = true
	}
}
