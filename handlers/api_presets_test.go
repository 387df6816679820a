package handlers_test

import (
	"encoding/json"
	"strings"
	"testing"

	"basketlink/basket"
	"basketlink/contracts"
	"basketlink/handlers"
)

func withSyntheticMaster(t testing.TB) func(*handlers.Config) {
	m, err := contracts.LoadFile("../testdata/contracts-synthetic.csv")
	if err != nil {
		t.Fatal(err)
	}
	return func(c *handlers.Config) { c.Contracts = m }
}

func TestAPIPresets(t *testing.T) {
	srv := start(t, withSyntheticMaster(t))

	status, body, _ := do(t, "GET", srv.URL+"/api/v1/presets", "", nil)
	var list struct{ Presets []basket.Preset }
	if err := json.Unmarshal([]byte(body), &list); status != 200 || err != nil {
		t.Fatalf("list: %d %v %s", status, err, body)
	}
	var names []string
	for _, p := range list.Presets {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, " "); got != "straddle strangle bull-call-spread bear-put-spread iron-condor iron-butterfly" {
		t.Errorf("names %s", got)
	}

	condor := `{"symbol":"NIFTY","expiry":"2026-12-29","strikes":["25000","25500","26500","27000"],"lots":1,"side":"sell","type":"market","product":"intraday"}`
	status, body, _ = do(t, "POST", srv.URL+"/api/v1/presets/iron-condor?as_of=2026-11-29", "application/json", strings.NewReader(condor))
	var built struct{ Legs []basket.Leg }
	if err := json.Unmarshal([]byte(body), &built); status != 200 || err != nil || len(built.Legs) != 4 {
		t.Fatalf("iron condor: %d %v %s", status, err, body)
	}
	var order []string
	for _, l := range built.Legs {
		order = append(order, l.Side+" "+l.OptType+" "+l.Strike+" "+string(l.Qty))
	}
	if got := strings.Join(order, ", "); got != "buy PE 25000 75, buy CE 27000 75, sell PE 25500 75, sell CE 26500 75" {
		t.Errorf("legs %s", got)
	}
	// The legs are a basket the validation API takes as it is.
	legs, _ := json.Marshal(built.Legs)
	if status, body, _ := do(t, "POST", srv.URL+"/api/v1/validate?as_of=2026-11-29", "application/json", strings.NewReader(string(legs))); status != 200 {
		t.Errorf("the built legs do not validate: %d %s", status, body)
	}

	tests := []struct {
		name, path, body string
		status           int
		want             string // first error: pointer + ": " + message
	}{
		{"strike off the grid", "/api/v1/presets/straddle?as_of=2026-11-29", `{"symbol":"NIFTY","expiry":"2026-12-29","strikes":["26010"],"lots":1,"type":"market","product":"intraday"}`, 422,
			"/strikes/0: strike 26010 is not on the NIFTY 2026-12-29 CE grid; the nearest listed strikes are 26000 and 26050"},
		{"unknown key", "/api/v1/presets/straddle", `{"symbol":"NIFTY","qty":75}`, 422,
			"/qty: qty is not a preset field; they are symbol, expiry, strikes, lots, side, type, limitPrices, product"},
		{"expired", "/api/v1/presets/straddle?as_of=2027-01-01", `{"symbol":"NIFTY","expiry":"2026-12-29","strikes":["26000"],"lots":1,"type":"market","product":"intraday"}`, 422,
			"/expiry: contract expired: expiry 2026-12-29 is before the as-of date 2027-01-01"},
		{"unknown preset", "/api/v1/presets/butterfly", `{}`, 404,
			": there is no preset \"butterfly\"; the presets are straddle, strangle, bull-call-spread, bear-put-spread, iron-condor, iron-butterfly"},
		{"not JSON", "/api/v1/presets/straddle", `{"symbol":`, 400, ": the body is not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, ctype := do(t, "POST", srv.URL+tt.path, "application/json", strings.NewReader(tt.body))
			var res basket.Result
			if err := json.Unmarshal([]byte(body), &res); err != nil || status != tt.status || !strings.HasPrefix(ctype, "application/json") {
				t.Fatalf("%d %q %v: %s", status, ctype, err, body)
			}
			if len(res.Errors) == 0 || res.Valid {
				t.Fatalf("no errors: %s", body)
			}
			if got := res.Errors[0].Pointer + ": " + res.Errors[0].Message; !strings.HasPrefix(got, tt.want) {
				t.Errorf("first error %q\nwant %q", got, tt.want)
			}
		})
	}
}

// Without a master the presets cannot know a lot size, and say so.
func TestAPIPresetsNoMaster(t *testing.T) {
	srv := start(t, nil)
	status, body, _ := do(t, "POST", srv.URL+"/api/v1/presets/straddle?as_of=2026-11-29", "application/json",
		strings.NewReader(`{"symbol":"NIFTY","expiry":"2026-12-29","strikes":["26000"],"lots":1,"type":"market","product":"intraday"}`))
	want := `"pointer":"/lots","field":"lots","message":"lots need the lot size from an instrument master: start basketlink with --contracts FILE"`
	if status != 422 || !strings.Contains(body, want) {
		t.Errorf("%d %s", status, body)
	}
}

// The preset routes are creator routes: behind the admin token like the rest of the API.
func TestAPIPresetsGuarded(t *testing.T) {
	mod := withSyntheticMaster(t)
	srv := start(t, func(c *handlers.Config) { mod(c); c.AdminToken = strings.Repeat("t", 40) })
	for _, r := range [][2]string{{"GET", "/api/v1/presets"}, {"POST", "/api/v1/presets/straddle"}} {
		if status, body, _ := do(t, r[0], srv.URL+r[1], "application/json", strings.NewReader(`{}`)); status != 401 {
			t.Errorf("%s %s without the token: %d %s", r[0], r[1], status, body)
		}
	}
}
