package main

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"basketlink/internal/browsertest"
	"basketlink/sim"
	"basketlink/tradejini"
)

// reportViolations runs in every page before its own scripts (DevTools adds
// it, so the page's CSP does not apply to it) and turns each CSP violation
// into a console error, which the test collects with everything else.
const reportViolations = `document.addEventListener('securitypolicyviolation', function (e) {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});`

// TestBrowserCSP walks every page in Chromium with the Content-Security-Policy
// on: login, the builder and an htmx change, the inspector, the review page,
// the short link through the simulator's login and review pages, the result
// page, a failed callback and the 404 page. Any CSP violation, console error
// or uncaught exception fails it.
func TestBrowserCSP(t *testing.T) {
	ctx := browsertest.New(t, 1024, 900)
	srv := startServeWith(t, t.TempDir(), nil, map[string]string{"BASKETLINK_ADMIN_TOKEN": goodAdminToken})

	// Pages whose own 4xx status the browser logs as a failed load.
	errorPages := map[string]bool{srv.URL + "/callback?state=forged": true, srv.URL + "/no-such-page": true}
	var mu sync.Mutex
	var problems []string
	listenCtx, stopListening := context.WithCancel(ctx)
	defer stopListening()
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: reportViolations})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	go func() {
		for m, err := range chromedp.Console(listenCtx) {
			if err != nil {
				return
			}
			if errorPages[m.URL] && strings.HasPrefix(m.Text, "Failed to load resource") {
				continue
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				mu.Lock()
				problems = append(problems, m.String()+" ("+m.URL+")")
				mu.Unlock()
			}
		}
	}()
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		time.Sleep(150 * time.Millisecond) // let late console events arrive
		mu.Lock()
		defer mu.Unlock()
		if len(problems) > 0 {
			t.Fatalf("%s: the browser reported:\n%s", name, strings.Join(problems, "\n"))
		}
	}

	step("login page", chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(chromedp.ID("token")))
	step("sign in", chromedp.SendKeys(chromedp.ID("token"), goodAdminToken), chromedp.Click(chromedp.ID("sign-in")),
		chromedp.WaitVisible(chromedp.ID("leg-0-inst")))

	// The builder: an htmx change must still swap the basket.
	settled := func() int {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__settled`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	step("count htmx swaps", chromedp.Evaluate[chromedp.Void](`window.__settled = 0; document.addEventListener('htmx:afterSettle', () => window.__settled++)`))
	before := settled()
	step("htmx: add a leg", chromedp.Click(chromedp.ID("add-leg")))
	for deadline := time.Now().Add(10 * time.Second); settled() <= before; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("htmx did not swap the basket under the CSP")
		}
	}
	step("the added leg", chromedp.WaitVisible(chromedp.ID("leg-1-inst")))
	styles, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('style, [style]').length`))
	if err != nil || styles != 0 {
		t.Fatalf("the builder holds %d inline styles after an htmx swap (%v)", styles, err)
	}

	b := newBrowser(t, nil)
	c := createBasket(t, b, srv.URL, liveBasket(t), "CSP walk", "Authorization", "Bearer "+goodAdminToken)
	step("inspector", chromedp.Navigate(srv.URL+"/inspect?link="+strings.ReplaceAll(c.OrderConnectURL, "&", "%26")),
		chromedp.WaitVisible(chromedp.ID("link")))
	step("review page", chromedp.Navigate(c.ReviewURL), chromedp.WaitVisible(chromedp.ID("continue")))
	step("continue to the simulator", chromedp.Click(chromedp.ID("continue")), chromedp.WaitVisible(chromedp.ID("password")))
	code, err := tradejini.TOTP(sim.DefaultTOTPSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	step("simulator login",
		chromedp.SendKeys(chromedp.ID("password"), sim.DefaultPassword),
		chromedp.SendKeys(chromedp.ID("totp"), code),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("place")))
	step("result page", chromedp.Click(chromedp.ID("place")), chromedp.WaitVisible(chromedp.ID("callback")))
	step("failed callback", chromedp.Navigate(srv.URL+"/callback?state=forged"), chromedp.WaitVisible(chromedp.ID("callback")))
	step("404 page", chromedp.Navigate(srv.URL+"/no-such-page"), chromedp.WaitVisible(chromedp.CSS("h1")))

	// The check itself works: an inline script is refused and reported.
	step("review page again", chromedp.Navigate(srv.URL+"/b/"+c.ID))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.append(s); })()`)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if len(problems) == 0 || !strings.Contains(strings.Join(problems, "\n"), "CSP violation") {
		t.Fatalf("an injected inline script was not reported as a CSP violation: %q", problems)
	}
}
