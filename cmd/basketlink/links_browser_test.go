package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"basketlink/internal/browsertest"
)

// TestBrowserLinksPages opens /links and /links/{id} in Chromium on a 390 px
// phone and a 1280 px screen, with JavaScript on and off: nothing scrolls
// sideways, and the link is turned off by ticking the box and pressing the
// button (a plain form post), never by the button alone.
func TestBrowserLinksPages(t *testing.T) {
	srv := startServe(t, nil, "--sim-auto", "approve")
	hb := newBrowser(t, nil)
	long := strings.Repeat("Nifty-weekly-iron-condor-for-clients-", 4) // no space to wrap at
	for _, width := range []int{390, 1280} {
		for _, js := range []bool{true, false} {
			name := fmt.Sprintf("%dpx-js-%v", width, js)
			t.Run(name, func(t *testing.T) {
				c := createBasket(t, hb, srv.URL, liveBasket(t), long+name)
				hb.get(c.ReviewURL)
				click(t, hb, c.ShortURL)

				ctx := browsertest.New(t, width, 900)
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), 900)); err != nil {
					t.Fatal(err)
				}
				if !js {
					if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
						_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
						return err
					})); err != nil {
						t.Fatal(err)
					}
				}
				do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
					t.Helper()
					if err := chromedp.Do(ctx, actions...); err != nil {
						t.Fatalf("%s: %v", what, err)
					}
				}
				noSideways := func(page string) {
					t.Helper()
					w, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
					if err != nil || len(w) != 2 || w[0] > w[1] {
						t.Errorf("%s scrolls sideways at %d px: %v %v", page, width, w, err)
					}
				}
				do("open /links", chromedp.Navigate(srv.URL+"/links"), chromedp.WaitVisible(chromedp.ID("links-table")))
				noSideways("/links")
				browsertest.Screenshot(t, ctx, "links-"+name+".png")
				do("open the link", chromedp.Navigate(srv.URL+"/links/"+c.ID), chromedp.WaitVisible(chromedp.ID("revoke-button")))
				noSideways("/links/{id}")
				// The view is written within a few seconds: reload until it shows.
				eventually(t, "the view on the link's page", func() bool {
					do("reload", chromedp.Navigate(srv.URL+"/links/"+c.ID), chromedp.WaitVisible(chromedp.ID("revoke-button")))
					got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("count-views").textContent`))
					return err == nil && got == "1"
				})
				browsertest.Screenshot(t, ctx, "link-"+name+".png")
				// The button alone does not turn it off: the box must be ticked.
				do("press without ticking", chromedp.Click(chromedp.ID("revoke-button")))
				if st := apiStatus(t, hb, srv.URL, c.ID); st != "active" {
					t.Fatalf("the button alone made the link %s", st)
				}
				do("tick the box", chromedp.Click(chromedp.ID("revoke-confirm")))
				if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.ID("revoke-button")))); err != nil {
					t.Fatalf("confirm and press: %v", err)
				}
				do("the page again", chromedp.WaitVisible(chromedp.ID("link-status")))
				if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("link-status").textContent`)); err != nil || got != "Turned off" {
					t.Errorf("status shown %q (%v), want Turned off", got, err)
				}
				if st := apiStatus(t, hb, srv.URL, c.ID); st != "revoked" {
					t.Fatalf("after the confirmed press the link is %s", st)
				}
				noSideways("/links/{id} turned off")
				if status, _, _ := hb.get(c.ReviewURL); status != http.StatusGone {
					t.Fatalf("review page after the revoke: %d", status)
				}
			})
		}
	}
}

func apiStatus(t *testing.T, b *browser, base, id string) string {
	t.Helper()
	return getLink(t, b, base, id).Status
}
