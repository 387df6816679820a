package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"basketlink/internal/browsertest"
)

// TestBrowserBuilder types and clicks the documented three-leg example into
// the builder in headless Chromium, with htmx on, at phone and desktop width;
// reads the order-connect URL off the page and checks its params are the
// documentation's string; then makes leg 1 a limit order at price 0 and checks
// the message appears next to that field; the page never scrolls sideways.
// BASKETLINK_SCREENS=DIR saves screenshots there.
func TestBrowserBuilder(t *testing.T) {
	for _, width := range []int{390, 1280} {
		t.Run(fmt.Sprintf("width %d", width), func(t *testing.T) {
			ctx := browsertest.New(t, width, 900)
			srv := start(t, nil)
			b := &browser{t: t, ctx: ctx}
			// Headless windows are at least 500 px wide: emulate the phone's viewport.
			var emulate []chromedp.EmulateViewportOption
			if width < 500 {
				emulate = append(emulate, chromedp.EmulateMobile, chromedp.EmulateTouch)
			}
			b.do(chromedp.EmulateViewport(int64(width), 900, emulate...))
			b.do(chromedp.Navigate(srv.URL+"/?as_of="+asOf), chromedp.WaitVisible(chromedp.ID("leg-0-inst")))
			b.do(chromedp.Evaluate[chromedp.Void](`window.__settled = 0; document.addEventListener('htmx:afterSettle', () => window.__settled++)`))

			b.assertFitsWidth("new basket")
			b.screenshot(fmt.Sprintf("builder-new-%d.png", width))

			// Leg 1: EQT is the default instrument.
			b.choose("leg-0-exch", "NSE", false)
			b.typeInto("leg-0-symbol", "ACC")
			b.typeInto("leg-0-series", "EQ")
			b.typeInto("leg-0-qty", "10")
			b.choose("leg-0-side", "buy", false)
			b.choose("leg-0-type", "limit", true)
			b.choose("leg-0-product", "intraday", false)
			b.typeInto("leg-0-limitPrice", "2700.55")
			b.choose("leg-0-validity", "day", false)

			// Leg 2: a future.
			b.click("add-leg")
			b.choose("leg-1-inst", "FUTIDX", true)
			b.typeInto("leg-1-symbol", "NIFTY")
			b.do(chromedp.SetValue(chromedp.ID("leg-1-expiry"), "2022-11-24"))
			b.typeInto("leg-1-qty", "2000")
			b.choose("leg-1-side", "sell", false)
			b.choose("leg-1-type", "market", true)
			b.choose("leg-1-product", "intraday", false)
			b.typeInto("leg-1-limitPrice", "0")
			b.choose("leg-1-validity", "ioc", false)
			b.typeInto("leg-1-discQty", "500")

			// Leg 3: an option.
			b.click("add-leg")
			b.choose("leg-2-inst", "OPTIDX", true)
			b.typeInto("leg-2-symbol", "BANKNIFTY")
			b.do(chromedp.SetValue(chromedp.ID("leg-2-expiry"), "2022-11-24"))
			b.choose("leg-2-optType", "PE", false)
			b.typeInto("leg-2-strike", "34000")
			b.typeInto("leg-2-qty", "1500")
			b.choose("leg-2-side", "buy", false)
			b.choose("leg-2-type", "market", true)
			b.choose("leg-2-product", "delivery", false)
			b.typeInto("leg-2-limitPrice", "0")
			b.choose("leg-2-validity", "day", false)
			b.typeInto("leg-2-mktProt", "5")

			b.click("check")
			b.do(chromedp.WaitVisible(chromedp.ID("order-connect-url")))
			link := b.value("order-connect-url")
			u, err := url.Parse(link)
			if err != nil {
				t.Fatalf("order-connect URL %q: %v", link, err)
			}
			if got, want := u.Query().Get("params"), documented(t); got != want {
				t.Fatalf("params from the page\n got %s\nwant %s", got, want)
			}
			if !strings.HasSuffix(u.Path, "/api-gw/oauth/order-connect") || u.Query().Get("client_id") != "TESTKEY" {
				t.Errorf("order-connect URL %s: wrong endpoint or client", link)
			}
			if login := b.value("login-url"); !strings.Contains(login, "/api-gw/oauth/authorize?") || strings.Contains(login, "params=") {
				t.Errorf("login URL %q: want authorize without params", login)
			}
			b.click0("copy-order-connect-url")
			copied, err := chromedp.Run(ctx, chromedp.Poll[string](`document.getElementById('copy-order-connect-url').textContent.trim() !== 'Copy' && document.getElementById('copy-order-connect-url').textContent.trim()`, chromedp.WithPollingTimeout(5*time.Second)))
			if err != nil || copied != "Copied" {
				t.Errorf("the copy button says %q (%v), want Copied", copied, err)
			}
			if shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('leg-0-inst-apply').offsetParent !== null`)); err != nil || shown {
				t.Errorf("with JavaScript the no-JS instrument button still shows (%v)", err)
			}
			b.assertFitsWidth("valid basket")
			b.screenshot(fmt.Sprintf("builder-valid-%d.png", width))

			// A limit order at price 0: the message sits next to the field.
			b.typeInto("leg-0-limitPrice", "0")
			b.click("check")
			b.do(chromedp.WaitVisible(chromedp.ID("leg-0-limitPrice-error")))
			msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("leg-0-limitPrice-error")))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(msg, "Limit orders need a Limit price above 0") {
				t.Errorf("error next to leg 1's limit price = %q", msg)
			}
			next, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
				const input = document.getElementById('leg-0-limitPrice');
				const err = document.getElementById('leg-0-limitPrice-error');
				return input.getAttribute('aria-describedby') === err.id && input.parentElement === err.parentElement;
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if !next {
				t.Error("the limit price error is not next to (and described by) its field")
			}
			if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#order-connect-url').length`)); err != nil || n != 0 {
				t.Errorf("an invalid basket still shows %d order-connect URLs (%v)", n, err)
			}
			b.assertFitsWidth("basket with an error")
			b.screenshot(fmt.Sprintf("builder-error-%d.png", width))
		})
	}
}

// browser drives one tab.
type browser struct {
	t   *testing.T
	ctx context.Context
}

func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// typeInto clears a text field and types text into it.
func (b *browser) typeInto(id, text string) {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).value = ''`, id)),
		chromedp.SendKeys(chromedp.ID(id), text))
}

// choose picks an option of a select as a user would, firing change; a live
// select makes htmx re-render the basket, which choose waits for.
func (b *browser) choose(id, value string, live bool) {
	b.t.Helper()
	b.settle(live, func() {
		b.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const s = document.getElementById(%q);
			s.value = %q;
			s.dispatchEvent(new Event('change', {bubbles: true}));
		})()`, id, value)))
	})
	if got := b.value(id); got != value {
		b.t.Fatalf("select %s = %q after choosing %q", id, got, value)
	}
}

// click presses a button that htmx answers, and waits for the swap.
func (b *browser) click(id string) {
	b.t.Helper()
	b.settle(true, func() { b.do(chromedp.Click(chromedp.ID(id))) })
}

// click0 presses a button that runs no request.
func (b *browser) click0(id string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.ID(id)))
}

// settle runs act and, when wait, waits for htmx to settle a swap after it.
func (b *browser) settle(wait bool, act func()) {
	b.t.Helper()
	before, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`window.__settled`))
	if err != nil {
		b.t.Fatal(err)
	}
	act()
	if !wait {
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`window.__settled`))
		if err != nil {
			b.t.Fatal(err)
		}
		if n > before {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatal("htmx did not swap the basket within 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (b *browser) value(id string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID(id)))
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

// assertFitsWidth fails when the page scrolls sideways.
func (b *browser) assertFitsWidth(state string) {
	b.t.Helper()
	widths, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
	if err != nil {
		b.t.Fatal(err)
	}
	if widths[0] > widths[1] {
		b.t.Errorf("builder (%s) scrolls sideways: %d px of content in a %d px window", state, widths[0], widths[1])
	}
}

// screenshot saves the whole page to $BASKETLINK_SCREENS, when set.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	browsertest.Screenshot(b.t, b.ctx, name)
}

// TestBrowserInspector pastes an order-connect URL with a bad leg into the
// inspector on a phone: the error sits in its cell and the page does not
// scroll sideways or cut a cell off (each leg stacks into a card).
func TestBrowserInspector(t *testing.T) {
	ctx := browsertest.New(t, 390, 900)
	srv := start(t, nil)
	b := &browser{t: t, ctx: ctx}
	doc := strings.Replace(documented(t), `"strike":"34000"`, `"strike":"034000"`, 1)
	link := "https://api.tradejini.com/v2/api-gw/oauth/order-connect?client_id=KEY&redirect_uri=https%3A%2F%2Fa.example%2Fcb&response_type=code&scope=general&state=xyz&params=" + url.QueryEscape(doc)
	b.do(chromedp.EmulateViewport(390, 900, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(srv.URL+"/inspect?as_of="+asOf),
		chromedp.SetValue(chromedp.ID("link"), link),
		chromedp.Click(chromedp.ID("inspect")),
		chromedp.WaitVisible(chromedp.ID("legs")))
	cell, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("cell-2-strike")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cell, "034000") || !strings.Contains(cell, "strike") {
		t.Errorf("strike cell of leg 3 = %q, want the value and its error", cell)
	}
	b.assertFitsWidth("inspector")
	// On a phone each leg stacks into a card: no cell runs past its box.
	clipped, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#legs td, #query td')].filter(td => td.scrollWidth > td.clientWidth + 1).map(td => td.id || td.textContent)`))
	if err != nil || len(clipped) > 0 {
		t.Errorf("cut-off cells in the inspector: %q (%v)", clipped, err)
	}
	b.screenshot("inspect-390.png")
}
