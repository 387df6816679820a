package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"basketlink/internal/browsertest"
)

// fintechPage serves a page of another site that embeds the button for the
// basket at reviewURL and records every basketlink:result it hears.
func fintechPage(t *testing.T, appURL, reviewURL string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Fintech</title></head><body>
<script>window.__results = []; document.addEventListener('basketlink:result', function (e) { window.__results.push(e.detail); });</script>
<p><a id="trade" href="%s" data-basketlink>Trade this basket</a></p>
<script src="%s/embed.js" defer></script>
</body></html>`, reviewURL, appURL)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestBrowserEmbedButton: an allowed fintech page (another origin) opens the
// review page in a popup, the simulator approves, and the page receives one
// basketlink:result with the basket and "completed"; a page on an origin not
// allowed gets nothing; at a phone width the button takes the full-page path
// and the result page leads back to return_to with the status.
func TestBrowserEmbedButton(t *testing.T) {
	ctx := browsertest.New(t, 1200, 900)
	// The fintech site's origin must be known before serve starts: listen first.
	allowed := httptest.NewUnstartedServer(nil)
	origin := "http://" + allowed.Listener.Addr().String()
	srv := startServe(t, nil, "--sim-auto", "approve", "--embed-origins", origin)
	br := newBrowser(t, nil)
	c := createBasket(t, br, srv.URL, liveBasket(t), "Embedded basket")
	page := fintechPage(t, srv.URL, c.ReviewURL)
	allowed.Config = page.Config
	allowed.Start()
	defer allowed.Close()
	other := fintechPage(t, srv.URL, c.ReviewURL) // an origin not in --embed-origins

	do := func(ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	// clickThrough presses the button and, in the popup it opens, continues
	// to the (auto-approving) simulator and waits for the result page.
	clickThrough := func(pageURL string) (embedded bool) {
		t.Helper()
		do(ctx, "open "+pageURL, chromedp.Navigate(pageURL), chromedp.WaitVisible(chromedp.ID("trade")))
		do(ctx, "wait for embed.js", chromedp.Poll[chromedp.Void](`document.getElementById('trade').hasAttribute('data-basketlink-bound')`))
		opened := chromedp.WaitNewTarget(ctx, func(i *target.Info) bool { return i.Type == "page" && i.OpenerID != "" })
		do(ctx, "press the button", chromedp.Click(chromedp.ID("trade")))
		var id target.ID
		select {
		case id = <-opened:
		case <-time.After(10 * time.Second):
			t.Fatal("no popup opened")
		}
		popup, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(id))
		defer cancel()
		do(popup, "continue in the popup", chromedp.WaitVisible(chromedp.ID("continue")), chromedp.Click(chromedp.ID("continue")))
		// Wait for the result page; the popup may close itself as soon as the
		// page got the result (embed.js closes it).
		deadline := time.Now().Add(15 * time.Second)
		for time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
			infos, err := chromedp.Targets(ctx)
			if err != nil {
				t.Fatal(err)
			}
			open := false
			for _, i := range infos {
				open = open || i.TargetID == id
			}
			if !open {
				return true // closed by embed.js: the page got the message
			}
			// A navigation may detach the popup's context: attach afresh (and
			// do not cancel: that would close the popup).
			look, _ := chromedp.NewContext(ctx, chromedp.WithTargetID(id)) //nolint:govet
			state, err := chromedp.Run(look, chromedp.Evaluate[string](`document.getElementById('callback') ? (document.getElementById('embed-result') ? 'embedded' : 'plain') : ''`))
			switch {
			case err != nil:
				continue
			case state == "embedded":
				return true
			case state == "plain":
				return false
			}
		}
		t.Fatal("the popup never reached the result page")
		return false
	}
	results := func() string {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(window.__results)`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	clickThrough(allowed.URL + "/invest")
	want := fmt.Sprintf(`[{"type":"basketlink:result","basket":"%s","status":"completed","outcome":`, c.ID)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.HasPrefix(results(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the fintech page heard %s, want %s...", results(), want)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(time.Second)
	if got := results(); strings.Count(got, "basketlink:result") != 1 {
		t.Fatalf("the fintech page heard %s, want exactly one result", got)
	}

	// A page of an origin not allowed: the flow works, but it hears nothing.
	if clickThrough(other.URL + "/invest") {
		t.Fatal("the result page offered a message to an origin not allowed")
	}
	time.Sleep(1500 * time.Millisecond)
	if got := results(); got != "[]" {
		t.Fatalf("a page on an origin not allowed heard %s", got)
	}

	// A phone: the same tab goes to the review page and comes back.
	phone := browsertest.New(t, 390, 844)
	do(phone, "phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	do(phone, "open the fintech page", chromedp.Navigate(allowed.URL+"/invest?plan=7"), chromedp.WaitVisible(chromedp.ID("trade")),
		chromedp.Poll[chromedp.Void](`document.getElementById('trade').hasAttribute('data-basketlink-bound')`))
	do(phone, "press the button", chromedp.Click(chromedp.ID("trade")), chromedp.WaitVisible(chromedp.ID("continue")))
	do(phone, "continue", chromedp.Click(chromedp.ID("continue")), chromedp.WaitVisible(chromedp.ID("back-to-site")))
	do(phone, "back to the site", chromedp.Click(chromedp.ID("back-to-site")), chromedp.WaitVisible(chromedp.ID("trade")))
	loc, err := chromedp.Run(phone, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil || u.Host != strings.TrimPrefix(allowed.URL, "http://") || u.Path != "/invest" ||
		u.Query().Get("plan") != "7" || u.Query().Get("basketlink_status") != "completed" || u.Query().Get("basketlink_basket") != c.ID {
		t.Fatalf("came back to %s", loc)
	}
}
