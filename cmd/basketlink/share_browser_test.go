package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"basketlink/internal/browsertest"
	"basketlink/sim"
	"basketlink/tradejini"
)

// TestBrowserShareFlow walks the whole flow in Chromium against `basketlink
// serve` and its interactive simulator: build a basket in the builder, save
// it, open the short link, review, continue, log in with password and TOTP,
// place the orders, and land on basketlink's success page.
func TestBrowserShareFlow(t *testing.T) {
	ctx := browsertest.New(t, 1024, 900)
	// A phone: advisors build on the move, clients open links on their phones.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	dataDir := t.TempDir()
	srv := startServeAt(t, dataDir, nil)
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	// htmx swaps the basket in place; wait for each swap a change starts.
	settled := func() int {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__settled`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	waitSwap := func(before int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); settled() <= before; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("htmx did not swap the basket")
			}
		}
	}
	set := func(id, value string) {
		t.Helper()
		do("set "+id, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const e = document.getElementById(%q);
			e.value = %q;
			e.dispatchEvent(new Event('change', {bubbles: true}));
		})()`, id, value)))
	}
	live := func(id, value string) { // a select whose change re-renders the basket
		t.Helper()
		before := settled()
		set(id, value)
		waitSwap(before)
	}
	press := func(id string) {
		t.Helper()
		before := settled()
		do("press "+id, chromedp.Click(chromedp.ID(id)))
		waitSwap(before)
	}
	b := liveBasket(t)
	expiry := b[strings.Index(b, `"expiry":"`)+10:][:10]

	do("open the builder", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("leg-0-inst")),
		chromedp.Evaluate[chromedp.Void](`window.__settled = 0; document.addEventListener('htmx:afterSettle', () => window.__settled++)`))
	set("leg-0-exch", "NSE")
	set("leg-0-symbol", "ACC")
	set("leg-0-series", "EQ")
	set("leg-0-qty", "10")
	live("leg-0-type", "limit")
	set("leg-0-limitPrice", "2700.55")
	press("add-leg")
	live("leg-1-inst", "FUTIDX")
	set("leg-1-symbol", "NIFTY")
	set("leg-1-expiry", expiry)
	set("leg-1-qty", "50")
	set("leg-1-side", "sell")
	live("leg-1-type", "market")
	set("leg-1-limitPrice", "0")
	press("check")
	do("see the basket valid", chromedp.WaitVisible(chromedp.ID("save-share")))
	set("label", "Nifty hedge")
	press("save-share")
	short, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("short-url")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(short, srv.URL+"/b/") || !strings.HasSuffix(short, "/go") {
		t.Fatalf("short link %q", short)
	}
	assertNoSidewaysScroll(t, ctx, "builder, saved")
	browsertest.Screenshot(t, ctx, "share-1-saved-390.png")

	// The client: the review page, then on to Tradejini.
	do("open the review page", chromedp.Navigate(strings.TrimSuffix(short, "/go")), chromedp.WaitVisible(chromedp.ID("continue")))
	title, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil || title != "Nifty hedge" {
		t.Fatalf("review page title %q, %v", title, err)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#legs .ticket').length`))
	if err != nil || rows != 2 {
		t.Fatalf("review page has %d tickets (%v), want 2", rows, err)
	}
	assertNoSidewaysScroll(t, ctx, "review page")
	browsertest.Screenshot(t, ctx, "share-2-review-390.png")
	do("continue", chromedp.Click(chromedp.ID("continue")), chromedp.WaitVisible(chromedp.ID("password")))
	code, err := tradejini.TOTP(sim.DefaultTOTPSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	do("log in at the simulator",
		chromedp.SendKeys(chromedp.ID("password"), sim.DefaultPassword),
		chromedp.SendKeys(chromedp.ID("totp"), code),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("place")))
	do("place the orders", chromedp.Click(chromedp.ID("place")), chromedp.WaitVisible(chromedp.ID("callback")))
	kind, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('callback').dataset.kind`))
	if err != nil {
		t.Fatal(err)
	}
	text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("callback")))
	if kind != "ok" || !strings.Contains(text, "Nifty hedge") {
		t.Fatalf("callback page: kind %q, text %q", kind, text)
	}
	assertNoSidewaysScroll(t, ctx, "success page")
	browsertest.Screenshot(t, ctx, "share-3-done-390.png")
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.HasPrefix(loc, srv.URL+"/callback?") {
		t.Fatalf("landed on %s", loc)
	}
	outcomes, err := openStore(t, dataDir).Outcomes(context.Background(), strings.TrimSuffix(strings.TrimPrefix(short, srv.URL+"/b/"), "/go"))
	if err != nil || len(outcomes) != 1 || outcomes[0].Status != "ok" {
		t.Fatalf("outcomes %+v %v", outcomes, err)
	}
}

// assertNoSidewaysScroll fails when the page is wider than the phone's screen.
func assertNoSidewaysScroll(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	over, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if over {
		t.Errorf("%s scrolls sideways on a 390 px phone", page)
	}
}
