package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"basketlink/internal/browsertest"
)

// TestBrowserPresetIronCondor: with the synthetic instrument master, an
// advisor picks "Iron condor" for NIFTY in the builder, chooses an expiry and
// four strikes, fills in the legs, saves and shares; the review page shows
// the four legs, the two bought wings first.
func TestBrowserPresetIronCondor(t *testing.T) {
	ctx := browsertest.New(t, 1280, 900)
	// The synthetic master's expiries are live on this day.
	clock := &testClock{t: time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}
	srv := startServeAt(t, t.TempDir(), clock.Now, "--contracts", syntheticMaster)
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
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
			if (e.value !== %q) throw new Error('no choice ' + %q + ' in #' + %q);
			e.dispatchEvent(new Event('change', {bubbles: true}));
		})()`, id, value, value, value, id)))
	}
	live := func(id, value string) {
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
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}

	do("open the builder", chromedp.Navigate(srv.URL+"/?as_of=2026-11-29"), chromedp.WaitVisible(chromedp.ID("preset-name")),
		chromedp.Evaluate[chromedp.Void](`window.__settled = 0; document.addEventListener('htmx:afterSettle', () => window.__settled++)`))
	if note := text("#presets-note"); !strings.Contains(note, "buys first") || !strings.Contains(note, "hedges") {
		t.Errorf("the strategy panel does not say why buys come first: %q", note)
	}
	live("preset-name", "iron-condor")
	live("preset-symbol", "NIFTY")
	live("preset-expiry", "2026-12-29")
	for i, k := range []string{"25000", "25500", "26500", "27000"} {
		set(fmt.Sprintf("preset-strike-%d", i), k)
	}
	set("preset-lots", "2")
	press("preset-fill")
	browsertest.Screenshot(t, ctx, "preset-iron-condor-filled.png")

	var legs []string
	for i := 0; i < 4; i++ {
		v := func(key string) string {
			s, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID(fmt.Sprintf("leg-%d-%s", i, key))))
			if err != nil {
				t.Fatalf("leg %d %s: %v", i, key, err)
			}
			return s
		}
		legs = append(legs, strings.Join([]string{v("side"), v("optType"), v("strike"), v("lots")}, " "))
	}
	if got, want := strings.Join(legs, ", "), "buy PE 25000 2, buy CE 27000 2, sell PE 25500 2, sell CE 26500 2"; got != want {
		t.Fatalf("legs %s, want %s", got, want)
	}
	if units := text("#leg-0-units"); units != "2 × 75 = 150 units" {
		t.Errorf("leg 1 shows %q, want its units", units)
	}
	// Then edit as usual: one more lot on every leg, checked by the one validation.
	for i := 0; i < 4; i++ {
		set(fmt.Sprintf("leg-%d-lots", i), "3")
	}
	press("check")
	params := text("#params")
	if strings.Count(params, `"qty":225`) != 4 || strings.Index(params, `"side":"sell"`) < strings.LastIndex(params, `"side":"buy"`) {
		t.Fatalf("params %s: want four legs of 225, buys first", params)
	}
	set("label", "Nifty iron condor")
	press("save-share")
	short, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("short-url")))
	if err != nil || !strings.HasPrefix(short, srv.URL+"/b/") {
		t.Fatalf("short link %q, %v", short, err)
	}

	do("open the review page", chromedp.Navigate(strings.TrimSuffix(short, "/go")), chromedp.WaitVisible(chromedp.ID("continue")))
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#legs .ticket [data-field=side]')].map(r => r.textContent.toLowerCase())`))
	if err != nil || len(rows) != 4 {
		t.Fatalf("review page shows %d legs (%v), want 4: %q", len(rows), err, rows)
	}
	for i, r := range rows {
		want, not := "buy", "sell"
		if i >= 2 {
			want, not = "sell", "buy"
		}
		if !strings.Contains(r, want) || strings.Contains(r, not) {
			t.Errorf("review row %d is %q: want the buys first", i+1, r)
		}
	}
	browsertest.Screenshot(t, ctx, "preset-iron-condor-review.png")
}
