package handlers_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"basketlink/internal/browsertest"
)

// postBuilder posts the builder form and returns the page.
func postBuilder(t *testing.T, srv *server, form url.Values) string {
	t.Helper()
	status, body, _ := do(t, "POST", srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if status != 200 {
		t.Fatalf("POST /: %d %s", status, body)
	}
	return body
}

func niftyForm(lotsOrQty, value string) url.Values {
	return url.Values{"as_of": {"2026-11-29"}, "op": {"check"},
		"legs.0.inst": {"OPTIDX"}, "legs.0.exch": {"NFO"}, "legs.0.symbol": {"NIFTY"}, "legs.0.expiry": {"2026-12-29"},
		"legs.0.optType": {"CE"}, "legs.0.strike": {"26000"}, "legs.0." + lotsOrQty: {value}, "legs.0.side": {"buy"},
		"legs.0.type": {"market"}, "legs.0.product": {"intraday"}, "legs.0.limitPrice": {"0"}, "legs.0.validity": {"day"}}
}

// TestBuilderWithMaster: lots become a quantity, a quantity in whole lots shows
// as lots, one that is not stays a quantity beside the lot message; expiries
// and strikes are the listed ones.
func TestBuilderWithMaster(t *testing.T) {
	srv := start(t, withSyntheticMaster(t))

	page := postBuilder(t, srv, niftyForm("lots", "2"))
	for _, want := range []string{`&#34;qty&#34;:150`, `id="leg-0-lots" name="legs.0.lots" value="2"`, `2 × 75 = 150 units`,
		`<option value="2026-12-29" selected>`, `<option value="2027-01-25">`, `<option value="26050">`, `<datalist id="leg-0-symbol-list"><option value="BANKNIFTY">`,
		`id="presets"`, `The legs come with the buys first.`} {
		if !strings.Contains(page, want) {
			t.Errorf("lots 2: the page lacks %s", want)
		}
	}

	page = postBuilder(t, srv, niftyForm("qty", "70"))
	for _, want := range []string{`id="leg-0-qty" name="legs.0.qty" value="70"`, "Quantity 70 is not a whole number of lots: the NIFTY lot is 75; use 75 or 150"} {
		if !strings.Contains(page, want) {
			t.Errorf("qty 70: the page lacks %s", want)
		}
	}

	// A strike typed before, not on the grid, stays selectable beside its error.
	f := niftyForm("lots", "1")
	f.Set("legs.0.strike", "26010")
	page = postBuilder(t, srv, f)
	for _, want := range []string{`<option value="26010" selected>26010 (not listed)</option>`, "the nearest listed strikes are 26000 and 26050"} {
		if !strings.Contains(page, want) {
			t.Errorf("strike 26010: the page lacks %s", want)
		}
	}

	// Presets that cannot be built say why in the panel, and leave the legs alone.
	f = niftyForm("lots", "1")
	f.Set("op", "preset")
	f["preset"] = []string{"iron-condor"}
	f["preset.expiry"] = []string{"2026-12-29"}
	f["preset.strike"] = []string{"25000", "25500", "", "27000"}
	page = postBuilder(t, srv, f)
	if !strings.Contains(page, "Strikes: an iron condor takes 4 strikes; 3 given") || !strings.Contains(page, `id="leg-0-strike"`) || strings.Contains(page, `id="leg-1-strike"`) {
		t.Errorf("an iron condor with 3 strikes: no error in the panel, or the legs changed")
	}
}

// Without a master the builder is as before: no strategy panel, no lots.
func TestBuilderWithoutMaster(t *testing.T) {
	srv := start(t, nil)
	page := postBuilder(t, srv, niftyForm("qty", "70"))
	if strings.Contains(page, `id="presets"`) || strings.Contains(page, "legs.0.lots") || !strings.Contains(page, `id="order-connect-url"`) {
		t.Errorf("without a master the builder changed")
	}
}

// TestBrowserPresetNoJS fills an iron condor with JavaScript off: each choice
// that changes the lists is a plain post of "Update choices".
func TestBrowserPresetNoJS(t *testing.T) {
	ctx := browsertest.New(t, 1280, 900)
	srv := start(t, withSyntheticMaster(t))
	b := &browser{t: t, ctx: ctx}
	noScript := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	post := func(button string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.ID(button)))); err != nil {
			t.Fatalf("press %s: %v", button, err)
		}
	}
	b.do(noScript, chromedp.Navigate(srv.URL+"/?as_of=2026-11-29"), chromedp.WaitVisible(chromedp.ID("preset-name")))
	b.do(chromedp.SetValue(chromedp.ID("preset-name"), "iron-condor"), chromedp.SetValue(chromedp.ID("preset-expiry"), "2026-12-29"))
	post("preset-refresh")
	for i, k := range []string{"25000", "25500", "26500", "27000"} {
		b.do(chromedp.SetValue(chromedp.ID("preset-strike-"+string(rune('0'+i))), k))
	}
	post("preset-fill")
	b.do(chromedp.WaitVisible(chromedp.ID("order-connect-url")))
	u, err := url.Parse(b.value("order-connect-url"))
	if err != nil {
		t.Fatal(err)
	}
	params := u.Query().Get("params")
	for i, want := range []string{`"optType":"PE","inst":"OPTIDX","strike":"25000","qty":75,"side":"buy"`, `"optType":"CE","inst":"OPTIDX","strike":"27000","qty":75,"side":"buy"`,
		`"optType":"PE","inst":"OPTIDX","strike":"25500","qty":75,"side":"sell"`, `"optType":"CE","inst":"OPTIDX","strike":"26500","qty":75,"side":"sell"`} {
		at := strings.Index(params, want)
		if at < 0 || strings.Count(params[:at], `"exch"`) != i+1 {
			t.Errorf("leg %d is not %s: %s", i+1, want, params)
		}
	}
}
