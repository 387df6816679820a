package handlers_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"basketlink/handlers"
	"basketlink/static"
)

type pinger struct{ err error }

func (p pinger) Ping(context.Context) error { return p.err }

// TestPages checks every page and its status: the builder, the inspector,
// health, assets, and the 404 page.
func TestPages(t *testing.T) {
	srv := start(t, nil)
	down := start(t, func(c *handlers.Config) { c.Ready = pinger{errors.New("database gone")} })
	tests := []struct {
		name   string
		url    string
		status int
		ctype  string
		want   []string
	}{
		{"builder", srv.URL + "/", 200, "text/html", []string{`id="leg-0-inst"`, `name="legs.0.symbol"`, `value="limit" selected`, `src="/static/` + static.App().Name("htmx.min.js") + `"`}},
		{"builder with as_of", srv.URL + "/?as_of=" + asOf, 200, "text/html", []string{`name="as_of" value="2022-11-20"`}},
		{"builder with a bad as_of", srv.URL + "/?as_of=20-11-2022", 400, "text/html", []string{"as_of", "YYYY-MM-DD"}},
		{"inspector", srv.URL + "/inspect", 200, "text/html", []string{`<textarea id="link" name="link"`}},
		{"livez", srv.URL + "/livez", 200, "text/plain", []string{"ok"}},
		{"readyz", srv.URL + "/readyz", 200, "text/plain", []string{"ok"}},
		{"readyz, database down", down.URL + "/readyz", 503, "text/plain", []string{"not ready"}},
		{"css", srv.URL + "/static/app.css", 200, "text/css", []string{".fields"}},
		{"htmx", srv.URL + "/static/htmx.min.js", 200, "javascript", []string{"htmx"}},
		{"unknown page", srv.URL + "/nope", 404, "text/html", []string{"Page not found", "no page at this address", `<html lang="en">`, `id="lang-switch"`}},
		{"unknown page in Hindi", srv.URL + "/nope?lang=hi", 404, "text/html", []string{"पेज नहीं मिला", `<html lang="hi">`, `href="/nope?lang=en"`}},
		{"unknown asset", srv.URL + "/static/nope.js", 404, "text/html", []string{"Page not found"}},
		{"unknown API route", srv.URL + "/api/v1/nope", 404, "application/json", []string{`"valid":false`, "no API route"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, ctype := do(t, "GET", tt.url, "", nil)
			if status == http.StatusNotFound && strings.Contains(ctype, "text/html") && strings.Contains(body, `href="/inspect"`) {
				t.Errorf("a 404 page a client may see shows the creator's menu")
			}
			if status != tt.status {
				t.Fatalf("status %d, want %d: %.300s", status, tt.status, body)
			}
			if !strings.Contains(ctype, tt.ctype) {
				t.Errorf("content type %q, want %q", ctype, tt.ctype)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q", w)
				}
			}
		})
	}
	if log := down.log.String(); !strings.Contains(log, "database gone") || !strings.Contains(log, "status=503") {
		t.Errorf("the failed readiness is not logged: %s", log)
	}
}

// TestBuilderNoJS posts the builder's form as a browser without JavaScript
// does, and reads the errors or the links off the page.
func TestBuilderNoJS(t *testing.T) {
	srv := start(t, nil)
	documentedForm := url.Values{
		"as_of":       {asOf},
		"legs.0.inst": {"EQT"}, "legs.0.exch": {"NSE"}, "legs.0.symbol": {"ACC"}, "legs.0.series": {"EQ"},
		"legs.0.qty": {"10"}, "legs.0.side": {"buy"}, "legs.0.type": {"limit"}, "legs.0.product": {"intraday"},
		"legs.0.limitPrice": {"2700.55"}, "legs.0.validity": {"day"}, "legs.0.discQty": {""},
		"legs.1.inst": {"FUTIDX"}, "legs.1.exch": {"NFO"}, "legs.1.symbol": {"NIFTY"}, "legs.1.expiry": {"2022-11-24"},
		"legs.1.qty": {"2000"}, "legs.1.side": {"sell"}, "legs.1.type": {"market"}, "legs.1.product": {"intraday"},
		"legs.1.limitPrice": {"0"}, "legs.1.validity": {"ioc"}, "legs.1.discQty": {"500"}, "legs.1.mktProt": {""},
		"legs.2.inst": {"OPTIDX"}, "legs.2.exch": {"NFO"}, "legs.2.symbol": {"BANKNIFTY"}, "legs.2.expiry": {"2022-11-24"},
		"legs.2.optType": {"PE"}, "legs.2.strike": {"34000"}, "legs.2.qty": {"1500"}, "legs.2.side": {"buy"},
		"legs.2.type": {"market"}, "legs.2.product": {"delivery"}, "legs.2.limitPrice": {"0"}, "legs.2.validity": {"day"},
		"legs.2.mktProt": {"5"},
		"op":             {"check"},
	}
	with := func(kv ...string) url.Values {
		v := url.Values{}
		for k, vs := range documentedForm {
			v[k] = vs
		}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name    string
		form    url.Values
		want    []string
		notWant []string
	}{
		{"documented basket gives the links", documentedForm,
			[]string{`id="order-connect-url"`, url.QueryEscape(documented(t)), `id="login-url"`, `oauth/authorize?client_id=TESTKEY`,
				`id="developer"`, "For developers", "BANKNIFTY 24 NOV 2022 34000 PE", "₹2,700.55", `id="copy-login-url" class="secondary" hidden`},
			[]string{`class="field-error"`, "Open the order-connect URL"}},
		{"the form upper-cases the symbol", with("legs.0.symbol", " reliance ", "legs.0.series", "eq"),
			[]string{`name="legs.0.symbol" value="RELIANCE"`, `name="legs.0.series" value="EQ"`, "RELIANCE EQ · NSE"}, []string{`id="leg-0-symbol-error"`}},
		{"choices in traders' words beside the API value", documentedForm,
			[]string{">Index option · OPTIDX<", ">Intraday (MIS) · intraday<", ">Sell · sell<", "units, not lots", `id="leg-1-expiry-shown">24 Nov 2022<`}, nil},
		{"without JavaScript the instrument has a button that shows its fields", documentedForm,
			[]string{`id="leg-0-inst-apply"`, `class="nojs-only secondary"`}, nil},
		{"limit at price 0: error next to the field", with("legs.0.limitPrice", "0"),
			[]string{`id="leg-0-limitPrice-error"`, "Limit orders need a Limit price above 0", `aria-describedby="leg-0-limitPrice-error"`, `id="error-summary"`},
			[]string{`id="order-connect-url"`}},
		{"a word for a quantity is a type error on qty", with("legs.2.qty", "many"),
			[]string{`id="leg-2-qty-error"`, `value="many"`}, []string{`id="order-connect-url"`}},
		{"missing symbol", with("legs.1.symbol", ""),
			[]string{`id="leg-1-symbol-error"`}, nil},
		{"changing the instrument shows its fields", with("legs.0.inst", "OPTIDX", "op", "refresh"),
			[]string{`id="leg-0-strike"`, `id="leg-0-optType"`, `<option value="NFO" selected`},
			[]string{`id="leg-0-series"`}},
		{"an edit shows wrong values, not fields still blank", with("legs.1.symbol", "", "legs.0.qty", "many", "op", "refresh"),
			[]string{`id="leg-0-qty-error"`}, []string{`id="leg-1-symbol-error"`, `id="order-connect-url"`}},
		{"add a leg", with("op", "add"),
			[]string{`id="leg-3-inst"`, `id="leg-2-inst"`}, []string{`id="leg-3-limitPrice-error"`}},
		{"remove a leg", with("op", "remove:0"),
			[]string{`name="legs.0.symbol" value="NIFTY"`, `name="legs.1.symbol" value="BANKNIFTY"`}, []string{`id="leg-2-inst"`}},
		{"duplicate a leg", with("op", "dup:0"),
			[]string{`name="legs.0.symbol" value="ACC"`, `name="legs.1.symbol" value="ACC"`, `name="legs.2.symbol" value="NIFTY"`}, nil},
		{"move a leg down", with("op", "down:0"),
			[]string{`name="legs.0.symbol" value="NIFTY"`, `name="legs.1.symbol" value="ACC"`}, nil},
		{"move a leg up", with("op", "up:2"),
			[]string{`name="legs.1.symbol" value="BANKNIFTY"`, `name="legs.2.symbol" value="NIFTY"`}, nil},
		{"an expired contract without as_of", func() url.Values { v := with(); v.Del("as_of"); return v }(),
			[]string{`id="leg-1-expiry-error"`, "Contract expired: Expiry 24 Nov 2022 is before the as-of date"}, []string{"2022-11-24 is before"}},
		{"a bad operation is a root error", with("op", "remove:9"),
			[]string{`id="basket-errors"`, "There is no leg"}, nil},
		{"the only leg cannot be removed", url.Values{"legs.0.inst": {"EQT"}, "op": {"refresh"}},
			[]string{`value="remove:0" disabled`}, nil},
		{"no legs at all", url.Values{"op": {"check"}},
			[]string{`id="basket-errors"`, `id="add-leg"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := do(t, "POST", srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(tt.form.Encode()))
			if status != 200 {
				t.Fatalf("status %d: %.300s", status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(body, w) {
					t.Errorf("page has %q", w)
				}
			}
		})
	}
}

// TestBuilderMaxLegs checks the builder stops adding at --max-legs.
func TestBuilderMaxLegs(t *testing.T) {
	srv := start(t, func(c *handlers.Config) { c.MaxLegs = 2 })
	form := url.Values{"legs.0.inst": {"EQT"}, "legs.1.inst": {"EQT"}, "op": {"add"}}
	_, body, _ := do(t, "POST", srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if !strings.Contains(body, "at most 2 legs") || strings.Contains(body, `id="leg-2-inst"`) || strings.Contains(body, `id="add-leg"`) {
		t.Errorf("a third leg was added, or the limit not said")
	}
}

// TestInspector pastes URLs and params into the inspector.
func TestInspector(t *testing.T) {
	srv := start(t, nil)
	doc := documented(t)
	good := "https://api.tradejini.com/v2/api-gw/oauth/order-connect?client_id=KEY&redirect_uri=https%3A%2F%2Fa.example%2Fcb&response_type=code&scope=general&state=xyz&params=" + url.QueryEscape(doc)
	bad := strings.Replace(good, url.QueryEscape(`"strike":"34000"`), url.QueryEscape(`"strike":"034000"`), 1)
	tests := []struct {
		name string
		link string
		want []string
	}{
		{"valid URL", good, []string{`id="verdict"`, "Valid: 3 legs", "client_id", "KEY", "https://a.example/cb", `id="cell-2-strike"`, `id="params"`}},
		{"bad strike sits in its cell", bad, []string{"Invalid: 1 error", `<td class="invalid" id="cell-2-strike" data-label="strike">`, "034000"}},
		{"raw params", strings.Replace(doc, `"side":"buy"`, `"side":"BUY"`, 1), []string{`<td class="invalid" id="cell-0-side" data-label="side">`}},
		{"missing key goes under its leg", `[{"exch":"NSE","symbol":"ACC","series":"EQ","inst":"EQT","side":"buy","type":"limit","product":"intraday","limitPrice":1,"validity":"day"}]`, []string{`id="row-0-errors"`, "qty"}},
		{"not a URL", "hello", []string{`id="inspect-problem"`, "order-connect URL"}},
		{"no params", "https://api.tradejini.com/v2/api-gw/oauth/authorize?client_id=K", []string{`id="root-errors"`, "no params"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := do(t, "GET", srv.URL+"/inspect?as_of="+asOf+"&link="+url.QueryEscape(tt.link), "", nil)
			if status != 200 {
				t.Fatalf("status %d: %.300s", status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
	status, body, _ := do(t, "GET", srv.URL+"/inspect?as_of=soon&link=x", "", nil)
	if status != 400 || !regexp.MustCompile(`as_of`).MatchString(body) {
		t.Errorf("a bad as_of: status %d, want 400 naming as_of", status)
	}
}

// TestBuilderFormTooLarge: a builder post over 64 KiB is a 413 page, not a 500.
func TestBuilderFormTooLarge(t *testing.T) {
	srv := start(t, nil)
	body := "legs.0.inst=EQT&legs.0.symbol=" + strings.Repeat("A", 70<<10)
	status, page, ctype := do(t, "POST", srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(body))
	if status != 413 || !strings.Contains(ctype, "text/html") || !strings.Contains(page, "bytes") {
		t.Errorf("status %d %s: %.200s", status, ctype, page)
	}
}

// TestBuilderHTMX: an htmx post gets just the basket section to swap in.
func TestBuilderHTMX(t *testing.T) {
	srv := start(t, nil)
	req, err := http.NewRequest("POST", srv.URL+"/", strings.NewReader("legs.0.inst=OPTIDX&op=refresh"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	page := string(body)
	if res.StatusCode != 200 || !strings.HasPrefix(page, `<div id="basket">`) || strings.Contains(page, "<html") || !strings.Contains(page, `id="leg-0-strike"`) {
		t.Errorf("status %d, want only the basket section with the option's fields: %.300s", res.StatusCode, page)
	}
}

// TestInspectorNotes: the inspector warns about a URL that would not work as a
// Tradejini basket link even when its legs are fine, and says plainly what
// it cannot read.
func TestInspectorNotes(t *testing.T) {
	srv := start(t, nil)
	oc := "https://api.tradejini.com/v2/api-gw/oauth/order-connect?client_id=K&params=" + url.QueryEscape(documented(t))
	long := oc + "&pad=" + strings.Repeat("x", 20000)
	tests := []struct {
		name          string
		link          string
		want, notWant []string
	}{
		{"a good link has no notes", oc, []string{`id="verdict"`, "Valid", "BANKNIFTY 24 NOV 2022 34000 PE"}, []string{`id="url-notes"`}},
		{"a 20 KB URL is too long", long, []string{`id="url-notes"`, "over the 8000 bytes"}, nil},
		{"another host", strings.Replace(oc, "api.tradejini.com", "broker.example.com", 1), []string{`id="url-notes"`, "goes to https://broker.example.com/v2, not to Tradejini"}, nil},
		{"another path", strings.Replace(oc, "order-connect", "place-orders", 1), []string{`id="url-notes"`, "is not Tradejini&#39;s order-connect endpoint"}, nil},
		{"garbage", "hello there", []string{`id="inspect-problem"`, "neither an order-connect URL nor a params JSON array"}, []string{"?...", "?.…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := do(t, "GET", srv.URL+"/inspect?as_of="+asOf+"&link="+url.QueryEscape(tt.link), "", nil)
			if status != 200 {
				t.Fatalf("status %d", status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(body, w) {
					t.Errorf("page has %q", w)
				}
			}
		})
	}
}

// TestPageLength: a page is written whole, with its Content-Length, not in
// chunks, and the buffer it was rendered in is not shared with the next page.
func TestPageLength(t *testing.T) {
	srv := start(t, nil)
	for _, path := range []string{"/", "/nope?lang=hi", "/inspect", "/nope"} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.ContentLength != int64(len(body)) || len(res.TransferEncoding) > 0 {
			t.Errorf("%s: Content-Length %d, transfer encoding %v, body of %d bytes", path, res.ContentLength, res.TransferEncoding, len(body))
		}
		if !strings.HasPrefix(string(body), "<!doctype html>") && !strings.HasPrefix(string(body), "<!DOCTYPE html>") || !strings.HasSuffix(strings.TrimSpace(string(body)), "</html>") {
			t.Errorf("%s: not one whole page: %.80s ... %.80s", path, body, body[max(0, len(body)-80):])
		}
	}
}
