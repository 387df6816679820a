package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"basketlink/internal/browsertest"
)

// mrfLeg is a leg priced in lakhs, to see Indian grouping on the page.
const mrfLeg = `{"exch":"NSE","symbol":"MRF","series":"EQ","inst":"EQT","qty":1,"side":"sell","type":"limit","product":"delivery","limitPrice":145050.5,"validity":"day"}`

// TestBrowserPublicPages opens every page a client may see (the review page,
// the result of a completed, a cancelled and a refused sign-in, the 404 of an
// unknown basket and the 410 of an expired contract) in Chromium, in English
// and in Hindi, on a 390 px phone and a 1280 px screen. Each page must not
// scroll sideways, cut off no text (every cell's scrollWidth fits its
// clientWidth), show every field of every leg on screen, follow the language
// in <html lang>, offer the switch, show the brand and never the creator's menu.
func TestBrowserPublicPages(t *testing.T) {
	ctx := browsertest.New(t, 1280, 900)
	brand := map[string]string{
		"BASKETLINK_BRAND_NAME":       "Sharma Advisory",
		"BASKETLINK_BRAND_REG":        "INA000012345",
		"BASKETLINK_BRAND_DISCLAIMER": "Investments in securities are subject to market risks. Read all related documents carefully before investing.",
	}
	legs := strings.TrimSuffix(liveBasket(t), "]") + "," + mrfLeg + "]"
	approveSrv := startServeWith(t, t.TempDir(), nil, brand, "--sim-auto", "approve")
	cancelSrv := startServeWith(t, t.TempDir(), nil, brand, "--sim-auto", "cancel")
	refuseSrv := startServeWith(t, t.TempDir(), nil, brand, "--sim-auto", "approve", "--sim-fail-status", "401", "--sim-fail-rate", "1")
	clock := &testClock{t: time.Now()}
	goneSrv := startServeWith(t, t.TempDir(), clock.Now, brand, "--sim-auto", "approve")

	api := newBrowser(t, nil)
	ok := createBasket(t, api, approveSrv.URL, legs, "Nifty hedge · weekly")
	cancelled := createBasket(t, api, cancelSrv.URL, legs, "Nifty hedge")
	refused := createBasket(t, api, refuseSrv.URL, legs, "Nifty hedge")
	expired := createBasket(t, api, goneSrv.URL, legs, "Last week's hedge")
	clock.Advance(20 * 24 * time.Hour) // past the expiry of the F&O legs

	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	widths := []int{390, 1280}
	for _, lang := range []string{"en", "hi"} {
		words := map[string][2]string{ // what each page must say, per language
			"en": {"BUY", "Shared by Sharma Advisory"},
			"hi": {"खरीदें", "Sharma Advisory द्वारा साझा किया गया"},
		}[lang]
		pages := []struct {
			name, url, kind string
			status          int
			tickets         int
		}{
			{"review", ok.ReviewURL, "", 200, 4},
			{"completed", ok.ShortURL, "ok", 200, 4},
			{"cancelled", cancelled.ShortURL, "cancelled", 200, 0},
			{"refused", refused.ShortURL, "refused", 502, 0},
			{"404", approveSrv.URL + "/b/AAAAAAAAAAAAAAAA", "", 404, 0},
			{"410", expired.ReviewURL, "", 410, 0},
		}
		for _, p := range pages {
			// The language is picked once with ?lang= on the review page; the
			// cookie carries it through Tradejini and back to the result.
			base := p.url[:strings.Index(p.url, "/b/")]
			do("pick "+lang, chromedp.Navigate(base+"/b/AAAAAAAAAAAAAAAA?lang="+lang))
			do(p.name+" "+lang, chromedp.EmulateViewport(int64(widths[0]), 844, chromedp.EmulateMobile, chromedp.EmulateTouch), chromedp.Navigate(p.url))
			for i, w := range widths {
				if i > 0 {
					// A reload at another width: the result page must show the same result again.
					do("resize", chromedp.EmulateViewport(int64(w), 900), chromedp.Reload())
				}
				where := fmt.Sprintf("%s, %s, %d px", p.name, lang, w)
				checkPublicPage(t, ctx, where, lang, words, p.kind, p.tickets)
				browsertest.Screenshot(t, ctx, fmt.Sprintf("public-%s-%s-%d.png", p.name, lang, w))
			}
		}
	}
}

// pageFacts is what checkPublicPage reads off a page in one go.
type pageFacts struct {
	Lang, Text, Kind, Switch, Brand, Reg, Disclaimer string
	Sideways, CreatorMenu                            bool
	Clipped, Hidden                                  []string
	Tickets                                          int
}

const readPage = `(() => {
	const q = s => document.querySelector(s);
	const text = s => (q(s) || {}).textContent || "";
	const f = {Lang: document.documentElement.lang, Text: document.body.innerText,
		Kind: (q('#callback') || {dataset: {}}).dataset.kind || "", Switch: (q('#lang-switch') || {}).href || "",
		Brand: text('#brand'), Reg: text('#brand-reg'), Disclaimer: text('#disclaimer'),
		Sideways: document.documentElement.scrollWidth > window.innerWidth,
		CreatorMenu: !!q('a[href="/inspect"]'), Clipped: [], Hidden: [],
		Tickets: document.querySelectorAll('.ticket').length};
	for (const el of document.querySelectorAll('main *, header *, footer *')) {
		const cs = getComputedStyle(el);
		if (cs.display === 'inline' || cs.display === 'none' || el.clientWidth === 0) continue;
		if (el.scrollWidth > el.clientWidth + 1) f.Clipped.push(el.tagName + (el.id ? '#' + el.id : '') + '.' + el.className + ': ' + el.textContent.slice(0, 40));
	}
	const fields = ['side', 'contract', 'qty', 'price', 'type', 'validity', 'product'];
	document.querySelectorAll('.ticket').forEach((t, i) => {
		for (const k of fields) {
			const el = t.querySelector('[data-field="' + k + '"]');
			const r = el && el.getBoundingClientRect();
			if (!el || !el.textContent.trim() || r.width === 0 || r.left < 0 || r.right > window.innerWidth || getComputedStyle(el).visibility !== 'visible')
				f.Hidden.push('leg ' + (i + 1) + ' ' + k);
		}
	});
	return f;
})()`

func checkPublicPage(t *testing.T, ctx context.Context, where, lang string, words [2]string, kind string, tickets int) {
	t.Helper()
	f, err := chromedp.Run(ctx, chromedp.Evaluate[pageFacts](readPage))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	if f.Lang != lang {
		t.Errorf("%s: <html lang=%q>", where, f.Lang)
	}
	if f.Sideways {
		t.Errorf("%s: the page scrolls sideways", where)
	}
	for _, c := range f.Clipped {
		t.Errorf("%s: cut off: %s", where, c)
	}
	for _, h := range f.Hidden {
		t.Errorf("%s: not visible: %s", where, h)
	}
	if f.Tickets != tickets {
		t.Errorf("%s: %d tickets, want %d", where, f.Tickets, tickets)
	}
	if tickets > 0 && (!strings.Contains(f.Text, words[0]) || !strings.Contains(f.Text, "₹1,45,050.50") || !strings.Contains(f.Text, "₹2,700.55")) {
		t.Errorf("%s: the tickets lack %q or the rupee amounts:\n%s", where, words[0], f.Text)
	}
	if kind != "" && f.Kind != kind {
		t.Errorf("%s: result %q, want %q:\n%s", where, f.Kind, kind, f.Text)
	}
	if f.CreatorMenu {
		t.Errorf("%s: shows the creator's menu", where)
	}
	if !strings.Contains(f.Switch, "lang=") || strings.Contains(f.Switch, "code=") {
		t.Errorf("%s: language switch %q", where, f.Switch)
	}
	if !strings.Contains(f.Brand, words[1]) || !strings.Contains(f.Reg, "INA000012345") || !strings.Contains(f.Disclaimer, "market risks") {
		t.Errorf("%s: brand %q, reg %q, disclaimer %q", where, f.Brand, f.Reg, f.Disclaimer)
	}
	if strings.Contains(strings.ToLower(f.Text), "token") || strings.Contains(f.Text, "another browser") {
		t.Errorf("%s: says too much:\n%s", where, f.Text)
	}
}
