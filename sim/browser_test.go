package sim_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"basketlink/internal/browsertest"
	"basketlink/sim"
	"basketlink/tradejini"
)

// TestBrowserOrderConnect walks the interactive simulator in headless Chromium
// on a phone-sized window: order-connect URL, login with a live TOTP, review
// of the legs, "Place orders", the app's redirect URI with a code, then the
// code exchanged once (200) and twice (401).
func TestBrowserOrderConnect(t *testing.T) {
	ctx := browsertest.New(t, 390, 844)

	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `<!doctype html><title>app</title><p id="result">back at the app</p>`)
	}))
	defer app.Close()
	srv := start(t, func(c *sim.Config) { c.RedirectURI = app.URL + "/callback" })
	client := &tradejini.Client{BaseURL: srv.Base, ClientID: srv.Cfg.ClientID, ClientSecret: srv.Cfg.ClientSecret,
		RedirectURI: srv.Cfg.RedirectURI, Timeout: 5 * time.Second}
	const state = "browser state/1"
	start, err := client.OrderConnectURL(state, documented(t))
	if err != nil {
		t.Fatal(err)
	}

	if err := chromedp.Do(ctx,
		chromedp.Navigate(start),
		chromedp.WaitVisible(chromedp.ID("password")),
	); err != nil {
		t.Fatalf("login page: %v", err)
	}
	assertFitsWidth(t, ctx, "login page")
	code, err := tradejini.TOTP(srv.Cfg.TOTPSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("password"), srv.Cfg.Password),
		chromedp.SendKeys(chromedp.ID("totp"), code),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("legs")),
	); err != nil {
		t.Fatalf("log in: %v", err)
	}
	assertFitsWidth(t, ctx, "review page")
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#legs tbody tr')].map(tr => [...tr.cells].map(td => td.textContent).join('|'))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("review table has %d rows, want 3: %q", len(rows), rows)
	}
	for i, want := range []string{"ACC|EQ|", "NIFTY||2022-11-24", "BANKNIFTY||2022-11-24|PE|OPTIDX|34000"} {
		if !strings.Contains(rows[i], want) {
			t.Errorf("row %d = %q, want it to hold %q", i+1, rows[i], want)
		}
	}
	header, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#legs thead")))
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range []string{"exch", "symbol", "expiry", "strike", "qty", "limitPrice", "discQty", "mktProt"} {
		if !strings.Contains(header, col) {
			t.Errorf("review table header %q lacks %s", header, col)
		}
	}

	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("place")),
		chromedp.WaitVisible(chromedp.ID("result")),
	); err != nil {
		t.Fatalf("place orders: %v", err)
	}
	landed, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(landed)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Scheme + "://" + u.Host + u.Path; got != srv.Cfg.RedirectURI {
		t.Fatalf("landed on %s, want the redirect URI %s", got, srv.Cfg.RedirectURI)
	}
	if u.Query().Get("state") != state || u.Query().Get("code") == "" {
		t.Fatalf("redirect query %q: want the state echoed and a code", u.RawQuery)
	}

	tok, err := client.ExchangeCode(context.Background(), u.Query().Get("code"))
	if err != nil {
		t.Fatalf("first exchange: %v", err)
	}
	if tok.AccessToken == "" || tok.TokenType != "bearer" {
		t.Fatalf("first exchange gave %v", tok)
	}
	_, err = client.ExchangeCode(context.Background(), u.Query().Get("code"))
	var refused *tradejini.Error
	if !errors.As(err, &refused) || refused.Status != 401 || refused.Msg != "Unauthorized" {
		t.Fatalf("second exchange: %v, want a 401 Unauthorized", err)
	}
	srv.assertNotLogged(t, u.Query().Get("code"), tok.AccessToken)
}

// assertFitsWidth fails when the page scrolls sideways on the phone-sized window.
func assertFitsWidth(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	over, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if over {
		t.Errorf("%s is wider than a phone screen", page)
	}
}
