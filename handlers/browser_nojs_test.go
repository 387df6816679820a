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

// TestBrowserBuilderNoJS builds a two-leg basket in Chromium with JavaScript
// off: every button is a plain form post that reloads the page.
func TestBrowserBuilderNoJS(t *testing.T) {
	ctx := browsertest.New(t, 1280, 900)
	srv := start(t, nil)
	b := &browser{t: t, ctx: ctx}
	noScript := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	b.do(noScript, chromedp.Navigate(srv.URL+"/?as_of="+asOf), chromedp.WaitVisible(chromedp.ID("leg-0-inst")))
	post := func(button string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.ID(button)))); err != nil {
			t.Fatalf("press %s: %v", button, err)
		}
	}
	b.do(chromedp.SendKeys(chromedp.ID("leg-0-symbol"), "ACC"),
		chromedp.SetValue(chromedp.ID("leg-0-qty"), "10"),
		chromedp.SendKeys(chromedp.ID("leg-0-limitPrice"), "2700.55"))
	post("add-leg")
	// A new leg is an EQT; switching it to a future takes a post without JavaScript.
	// Its button shows the future's fields at once, and reports none of them missing.
	b.do(chromedp.SetValue(chromedp.ID("leg-1-inst"), "FUTIDX"))
	post("leg-1-inst-apply")
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#leg-1-expiry, #leg-1-series, .field-error').length`)); err != nil || n != 1 {
		t.Errorf("after the instrument button: %d of (the expiry field, a series field, errors), want only the expiry field (%v)", n, err)
	}
	post("check")
	b.do(chromedp.WaitVisible(chromedp.ID("leg-1-expiry-error")))
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#leg-1-series').length`)); err != nil || n != 0 {
		t.Errorf("the future still shows a series field (%d, %v)", n, err)
	}
	if ex := b.value("leg-1-exch"); ex != "NFO" {
		t.Errorf("the future's exchange is %q, want NFO", ex)
	}
	b.do(chromedp.SendKeys(chromedp.ID("leg-1-symbol"), "NIFTY"),
		chromedp.SetValue(chromedp.ID("leg-1-expiry"), "2022-11-24"),
		chromedp.SetValue(chromedp.ID("leg-1-qty"), "2000"),
		chromedp.SendKeys(chromedp.ID("leg-1-limitPrice"), "100"))
	post("check")
	b.do(chromedp.WaitVisible(chromedp.ID("order-connect-url")))
	// Without JavaScript a Copy button would do nothing: none shows.
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('[data-copy]')].filter(e => e.offsetParent !== null).length`)); err != nil || n != 0 {
		t.Errorf("%d Copy buttons show without JavaScript (%v)", n, err)
	}
	u, err := url.Parse(b.value("order-connect-url"))
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"exch":"NSE","symbol":"ACC","series":"EQ","inst":"EQT","qty":10,"side":"buy","type":"limit","product":"intraday","limitPrice":2700.55,"validity":"day"},` +
		`{"exch":"NFO","symbol":"NIFTY","expiry":"2022-11-24","inst":"FUTIDX","qty":2000,"side":"buy","type":"limit","product":"intraday","limitPrice":100,"validity":"day"}]`
	if got := u.Query().Get("params"); got != want {
		t.Errorf("params\n got %s\nwant %s", got, want)
	}
	// Remove the first leg: the future moves up.
	post("leg-0-remove")
	if sym := b.value("leg-0-symbol"); !strings.EqualFold(sym, "NIFTY") {
		t.Errorf("after removing leg 1, leg 1 is %q", sym)
	}
}
